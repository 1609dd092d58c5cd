"""``python -m studyhub``."""

from studyhub.gcpause import hold

hold()  # before the CLI's own imports (cli.main holds it too, for the console script)

from studyhub.cli import main  # noqa: E402

if __name__ == "__main__":
    main()

"""``python -m studyhub``."""

from studyhub.cli import main

if __name__ == "__main__":
    main()

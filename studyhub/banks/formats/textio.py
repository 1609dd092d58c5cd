"""Reading the lines of a text bank file (GIFT, Aiken, Word-style text): one decoder for all.

UTF-8 (with or without BOM) when the whole file decodes as UTF-8, UTF-16 when it starts with
a UTF-16 BOM, else GB18030 (a superset of GBK). Files larger than ``MAX_FILE_BYTES`` are
refused; read and decode failures become located errors.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO

from studyhub.banks.context import MAX_FILE_BYTES, ParseContext
from studyhub.i18n import msg
from studyhub.values import NUL_MESSAGE, describe

__all__ = ["Line", "check_size", "open_binary", "read_lines"]

_CHUNK = 1 << 20

Line = tuple[int, str]


def read_lines(ctx: ParseContext) -> Iterator[Line]:
    """The lines of a text file as ``(number, text)``, numbered from 1, without line ends.

    UTF-8 (with or without BOM) when the whole file decodes as UTF-8, UTF-16 when it starts
    with a UTF-16 BOM, else GB18030 (a superset of GBK). Files larger than
    ``MAX_FILE_BYTES`` are refused. Reads the file twice instead of holding it.
    """
    check_size(ctx)
    encoding = _encoding(ctx)
    if encoding == "utf-16":
        yield from _utf16_lines(ctx)
        return
    with open_binary(ctx) as stream:
        for number, raw in enumerate(_safe_iter(ctx, stream), 1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise _undecodable(ctx, number) from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield number, _checked(ctx, number, text.removesuffix("\n").removesuffix("\r"))


def _checked(ctx: ParseContext, number: int, text: str) -> str:
    if "\x00" in text:
        raise ctx.fail(ctx.at(number), NUL_MESSAGE)
    return text


def check_size(ctx: ParseContext) -> None:
    try:
        size = ctx.path.stat().st_size
    except OSError as err:
        raise ctx.fail(ctx.at(), msg("cannot read file: {detail}", detail=describe(err))) from None
    if size > MAX_FILE_BYTES:
        raise ctx.fail(ctx.at(), msg("file is larger than {size} MB", size=MAX_FILE_BYTES // 2**20))


def open_binary(ctx: ParseContext) -> IO[bytes]:
    try:
        return ctx.path.open("rb")
    except OSError as err:
        raise ctx.fail(ctx.at(), msg("cannot read file: {detail}", detail=describe(err))) from None


def _safe_iter(ctx: ParseContext, stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of a binary stream; read errors become located errors."""
    try:
        yield from stream
    except OSError as err:
        raise ctx.fail(ctx.at(), msg("cannot read file: {detail}", detail=describe(err))) from None


def _encoding(ctx: ParseContext) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_binary(ctx) as stream:
        try:
            chunk = stream.read(2)
            if chunk in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                return "utf-16"
            while chunk:
                decoder.decode(chunk)
                chunk = stream.read(_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
        except OSError as err:
            raise ctx.fail(
                ctx.at(), msg("cannot read file: {detail}", detail=describe(err))
            ) from None
    return "utf-8"


def _undecodable(ctx: ParseContext, number: int) -> Exception:
    return ctx.fail(ctx.at(number), msg("cannot decode the text: it is neither UTF-8 nor GB18030"))


def _utf16_lines(ctx: ParseContext) -> Iterator[Line]:
    number = 1
    try:
        with ctx.path.open(encoding="utf-16", newline=None) as stream:
            for text in stream:
                yield number, _checked(ctx, number, text.removesuffix("\n"))
                number += 1
    except UnicodeError:
        raise ctx.fail(
            ctx.at(number), msg("cannot decode the text: it is not valid UTF-16")
        ) from None
    except OSError as err:
        raise ctx.fail(ctx.at(), msg("cannot read file: {detail}", detail=describe(err))) from None

"""The bulletin's zip file, written by hand where `zipfile` cannot help.

word/document.xml is deflated in two pieces, its end on a thread of its own while the charts
are drawn (`word.deflate_end`), and the parts every bulletin shares are kept deflated once per
process. `zipfile` takes neither data already deflated nor a checksum worked out in pieces, so
the members are written here (`zip_file`) with the checksum of the two pieces combined
(`crc32_combine`, zlib's function of that name, which Python's zlib does not offer).
"""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass
from zipfile import ZIP_DEFLATED

# zlib level of the file's parts: the tables' markup repeats itself, so the lowest level
# already shrinks it about thirtyfold, at twice the speed of the default (6).
COMPRESSION = 1


@dataclass(frozen=True)
class Member:
    """A file in the zip, as stored: `data` deflated (raw, no zlib header) or as it is."""

    name: str
    method: int  # ZIP_STORED or ZIP_DEFLATED
    crc: int  # CRC-32 of the content
    size: int  # of the content
    data: bytes


def deflate(data: bytes | memoryview, *, final: bool = True) -> bytes:
    """Raw deflate at `COMPRESSION`; not `final`, it ends on a byte (a sync flush) and another
    stream may follow it, as one."""
    compressor = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH
    )


def member(name: str, data: bytes, method: int = ZIP_DEFLATED) -> Member:
    stored = deflate(data) if method == ZIP_DEFLATED else data
    return Member(name, method, zlib.crc32(data), len(data), stored)


@dataclass(frozen=True)
class Segment:
    """Part of word/document.xml, deflated on its own (`_deflate`)."""

    data: bytes
    crc: int  # CRC-32 of the text
    size: int  # of the text


def segment(data: bytes, *, final: bool) -> Segment:
    return Segment(deflate(data, final=final), zlib.crc32(data), len(data))


# CRC-32 of two texts one after the other, from theirs (zlib's crc32_combine, which Python's
# zlib does not offer): the end of word/document.xml is summed before its start is written.
CRC_POLYNOMIAL = 0xEDB88320  # reflected


def _times(a: int, b: int) -> int:
    """a × b modulo the CRC polynomial, both reflected."""
    m, product = 1 << 31, 0
    while True:
        if a & m:
            product ^= b
            if not a & (m - 1):
                return product
        m >>= 1
        b = (b >> 1) ^ CRC_POLYNOMIAL if b & 1 else b >> 1


X_POWERS = [1 << 30]  # x^(2^k) modulo the polynomial, k = 0…31 (x^1 first)
for _ in range(31):
    X_POWERS.append(_times(X_POWERS[-1], X_POWERS[-1]))


def crc32_combine(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of A + B, from that of A, that of B and B's length in bytes."""
    shift, k = 1 << 31, 3  # x^0; a byte is 2^3 bits
    while second_size:
        if second_size & 1:
            shift = _times(X_POWERS[k & 31], shift)
        second_size >>= 1
        k += 1
    return _times(shift, first) ^ second


def zip_file(members: list[Member]) -> bytes:
    """A zip file of `members`, each with its sizes in its header (no data descriptors) and
    none of zip64's fields: a bulletin is a few megabytes."""
    now = time.localtime()
    when = (
        now.tm_hour << 11 | now.tm_min << 5 | now.tm_sec // 2,
        (now.tm_year - 1980) << 9 | now.tm_mon << 5 | now.tm_mday,
    )
    files, directory, offset = [], [], 0
    for m in members:
        name = m.name.encode()
        fields = (m.method, *when, m.crc, len(m.data), m.size, len(name))
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *fields, 0)
        directory += [
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset
            ),
            name,
        ]
        files += [header, name, m.data]
        offset += len(header) + len(name) + len(m.data)
    listing = b"".join(directory)
    if offset + len(listing) > 0xFFFFFFFF or len(members) > 0xFFFF:
        raise ValueError("the file would need zip64")
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(listing), offset, 0
    )
    return b"".join([*files, listing, end])

"""Limits of an uploaded workbook, checked on the zip and by streaming its XML, before openpyxl
parses anything.

openpyxl builds the whole text of an element before it hands it over (a 354 KB file with one
350 MB inline string took a worker from 99 MB to 978 MB), and keeps every shared string in memory.
So every XML part is read here in chunks of 64 KiB through expat, with handlers that count: rows
and columns by the cells' references, characters per cell (inline strings, values, shared
strings) and characters over all cells, and refuse as soon as a limit is passed. Nothing longer
than one chunk is ever held. A DTD (entities: XXE, "billion laughs") is refused outright: Excel
never writes one.

The limits are settings (``IMPORT_MAX_*``, see ``Limits.from_settings``); each refusal is a
``FileRejected`` saying which sheet and cell, and what the limit is.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from array import array
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from .files import FileRejected

MB = 1024 * 1024
_CHUNK = 64 * 1024
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_SHARED_STRINGS_TYPE = ".sharedStrings+xml"
_INDEX_PARTS = {  # part -> element listing the others
    "[Content_Types].xml": "Override",
    "xl/workbook.xml": "sheet",
    "xl/_rels/workbook.xml.rels": "Relationship",
}
_RUN_BYTES = 1 * 1024 * 1024  # no tag, attribute or text of a part may run longer than this


@dataclass(frozen=True)
class Limits:
    cell_chars: int = 1_000  # one cell's text
    text_chars: int = 40_000_000  # all cells of all sheets, shared strings counted where used
    shared_strings_bytes: int = 50 * MB  # xl/sharedStrings.xml, uncompressed
    shared_strings: int = 500_000  # items in it: openpyxl keeps each as an object (~160 bytes)
    sheet_bytes: int = 150 * MB  # one xl/worksheets/*.xml, uncompressed
    rows: int = 200_000  # highest row number of a sheet (blank formatted rows count)
    columns: int = 100  # highest column of a sheet
    unzipped_bytes: int = 200 * MB  # every part of the zip, uncompressed
    ratio: int = 100  # uncompressed / compressed, over the whole zip (a zip bomb is ~1000)
    ratio_from_bytes: int = 10 * MB  # small files may compress well: no ratio check below this

    @classmethod
    def from_settings(cls) -> Limits:
        names = {
            "cell_chars": "IMPORT_MAX_CELL_CHARS",
            "text_chars": "IMPORT_MAX_TEXT_CHARS",
            "shared_strings_bytes": "IMPORT_MAX_SHARED_STRINGS_BYTES",
            "shared_strings": "IMPORT_MAX_SHARED_STRINGS",
            "sheet_bytes": "IMPORT_MAX_SHEET_BYTES",
            "rows": "IMPORT_MAX_SHEET_ROWS",
            "columns": "IMPORT_MAX_COLUMNS",
            "unzipped_bytes": "IMPORT_MAX_UNZIPPED_BYTES",
            "ratio": "IMPORT_MAX_COMPRESSION_RATIO",
        }
        values = {f: getattr(settings, s) for f, s in names.items() if hasattr(settings, s)}
        return cls(**values)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _mb(value: int) -> str:
    return _n(max(1, round(value / MB)))


class _Refused(Exception):
    """Raised inside an expat handler to stop the parse; carries the FileRejected."""

    def __init__(self, rejected: FileRejected):
        super().__init__(rejected.message)
        self.rejected = rejected


def check_archive(handle, limits: Limits | None = None) -> None:
    """Raise ``FileRejected`` when the workbook passes a limit or holds a DTD. ``handle`` is a
    binary file already known to be a readable zip (``files.check_file``); it is rewound."""
    limits = limits or Limits.from_settings()
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            _Checker(archive, limits).run()
    except zipfile.BadZipFile as exc:  # a CRC or size that does not match what it says
        raise FileRejected(
            _("Tệp .xlsx bị hỏng (không giải nén được): hãy mở bằng Excel và lưu lại.")
        ) from exc
    finally:
        handle.seek(0)


class _Checker:
    def __init__(self, archive: zipfile.ZipFile, limits: Limits):
        self.archive, self.limits = archive, limits
        self.infos = {info.filename: info for info in archive.infolist()}
        self.text_chars = 0
        self.shared_lengths = array("H")  # per shared string, its length capped at the limit + 1
        self.too_long_shared: set[int] = set()

    def run(self) -> None:
        self._zip_sizes()
        titles, shared = self._parts()  # the parts naming the others: checked for a DTD too
        # Every other XML part is checked for a DTD: openpyxl reads many (styles, themes...).
        done = {*_INDEX_PARTS, *titles, shared}
        for name in self.infos:
            if name.lower().endswith(_XML_SUFFIXES) and name not in done:
                self._parse(name, _Part(self, name))
        if shared:
            size = self.infos[shared].file_size
            if size > self.limits.shared_strings_bytes:
                raise FileRejected(self.shared_too_large(size))
            self._parse(shared, _SharedStrings(self, shared))
        for path, title in titles.items():
            self._parse(path, _Worksheet(self, title))
        if self.too_long_shared:  # never used by a cell, still read into memory by openpyxl
            raise FileRejected(
                _(
                    "Tệp chứa một đoạn văn bản dài hơn %(max)s ký tự (giới hạn mỗi ô): hãy tìm và "
                    "rút gọn nội dung đó."
                )
                % {"max": _n(self.limits.cell_chars)}
            )

    def _zip_sizes(self) -> None:
        limits = self.limits
        total = sum(i.file_size for i in self.infos.values())
        packed = sum(i.compress_size for i in self.infos.values())
        if total > limits.unzipped_bytes:
            raise FileRejected(
                _(
                    "Dữ liệu trong tệp khi giải nén là %(size)s MB, vượt giới hạn %(max)s MB: "
                    "hãy chia thành nhiều tệp nhỏ hơn (ví dụ theo xã)."
                )
                % {"size": _mb(total), "max": _mb(limits.unzipped_bytes)}
            )
        if total > limits.ratio_from_bytes and total > limits.ratio * max(packed, 1):
            raise FileRejected(
                _(
                    "Tệp nén bất thường: dữ liệu giải nén lớn gấp %(ratio)s lần tệp (giới hạn "
                    "%(max)s lần). Tệp bị từ chối vì lý do an toàn: hãy nhập dữ liệu vào tệp mẫu "
                    "và lưu lại bằng Excel."
                )
                % {"ratio": _n(total // max(packed, 1)), "max": _n(limits.ratio)}
            )

    def shared_too_large(self, size: int) -> str:
        return _(
            "Bảng văn bản dùng chung của tệp (xl/sharedStrings.xml) là %(size)s MB, vượt giới "
            "hạn %(max)s MB: hãy chia thành nhiều tệp nhỏ hơn."
        ) % {"size": _mb(size), "max": _mb(self.limits.shared_strings_bytes)}

    def _parts(self) -> tuple[dict[str, str], str]:
        """(sheet XML path -> title, shared strings path), found as openpyxl finds them: the
        sheets by the workbook's relationships (plus any worksheet part they do not name), the
        shared strings by their content type in [Content_Types].xml."""
        found = {}
        for name, wanted in _INDEX_PARTS.items():
            found[name] = _Collect(self, name, wanted)
            if name in self.infos:
                self._parse(name, found[name])
        targets = {}
        for rel in found["xl/_rels/workbook.xml.rels"].found:
            target = rel.get("Target", "")
            targets[rel.get("Id")] = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
        titles: dict[str, str] = {}
        for sheet in found["xl/workbook.xml"].found:
            rid = next((v for k, v in sheet.items() if k.endswith(":id")), None)
            path = targets.get(rid or "")
            if path in self.infos:
                titles[path] = sheet.get("name", path)
        for name in self.infos:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                titles.setdefault(name, name)
        shared = next(
            (
                o.get("PartName", "").lstrip("/")
                for o in found["[Content_Types].xml"].found
                if o.get("ContentType", "").endswith(_SHARED_STRINGS_TYPE)
            ),
            "",
        )
        return titles, shared if shared in self.infos else ""

    def _parse(self, name: str, part: _Part) -> None:
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = part.doctype
        parser.EntityDeclHandler = part.entity
        parser.StartElementHandler = part.start
        parser.EndElementHandler = part.end
        parser.CharacterDataHandler = part.text
        read = 0
        run = 0  # bytes since the last ">": expat holds a whole tag before handing it over
        try:
            with self.archive.open(name) as xml:
                while chunk := xml.read(_CHUNK):
                    read += len(chunk)
                    part.bytes_read(read)
                    first = chunk.find(b">")
                    if first < 0:
                        run += len(chunk)
                    elif run + first > _RUN_BYTES:
                        part.too_long_run()
                    else:
                        run = len(chunk) - chunk.rfind(b">") - 1
                    if run > _RUN_BYTES:
                        part.too_long_run()
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Refused as refused:
            raise refused.rejected from None
        except expat.ExpatError as exc:
            raise FileRejected(
                _("Tệp .xlsx bị hỏng (phần %(part)s không đọc được): hãy mở bằng Excel và lưu lại.")
                % {"part": name}
            ) from exc


def _local(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


class _Part:
    """Any XML part: no DTD, no entity."""

    def __init__(self, checker: _Checker, name: str):
        self.checker, self.name = checker, name
        self.run = 0  # characters of text since the last tag

    def too_long_run(self) -> None:
        self.refuse(
            _(
                "Tệp .xlsx có phần %(part)s bất thường (một thẻ hoặc đoạn văn bản dài hơn %(max)s "
                "MB): tệp bị từ chối vì lý do an toàn. Hãy nhập dữ liệu vào tệp mẫu và lưu lại "
                "bằng Excel."
            )
            % {"part": self.name, "max": _mb(_RUN_BYTES)}
        )

    def refuse(self, message: str, **where) -> None:
        raise _Refused(FileRejected(message, **where))

    def doctype(self, *args) -> None:
        self.refuse(
            _(
                "Tệp chứa khai báo DTD / thực thể XML (trong phần %(part)s), điều Excel không bao "
                "giờ tạo ra: tệp bị từ chối vì lý do an toàn. Hãy nhập dữ liệu vào tệp mẫu và lưu "
                "lại bằng Excel."
            )
            % {"part": self.name}
        )

    def entity(self, *args) -> None:
        self.doctype()

    def bytes_read(self, read: int) -> None:
        pass

    def start(self, tag, attrs) -> None:
        self.run = 0

    def end(self, tag) -> None:
        self.run = 0

    def text(self, data) -> None:
        self.run += len(data)  # text may hold ">": counted here too
        if self.run > _RUN_BYTES:
            self.too_long_run()


class _Collect(_Part):
    """The attributes of every element with a given local name (workbook.xml, its rels)."""

    def __init__(self, checker, name, wanted):
        super().__init__(checker, name)
        self.wanted, self.found = wanted, []

    def start(self, tag, attrs) -> None:
        super().start(tag, attrs)
        if _local(tag) == self.wanted and len(self.found) < 10_000:
            self.found.append(attrs)


class _SharedStrings(_Part):
    """``<si>`` items: each one's length (all its ``<t>``), kept as a small number per item."""

    def __init__(self, checker, name):
        super().__init__(checker, name)
        self.length = 0
        self.in_t = False

    def bytes_read(self, read: int) -> None:
        if read > self.checker.limits.shared_strings_bytes:  # the zip's stated size lied
            self.refuse(self.checker.shared_too_large(read))

    def start(self, tag, attrs) -> None:
        super().start(tag, attrs)
        local = _local(tag)
        if local == "si":
            self.length = 0
        elif local == "t":
            self.in_t = True

    def end(self, tag) -> None:
        super().end(tag)
        local = _local(tag)
        if local == "t":
            self.in_t = False
        elif local == "si":
            checker = self.checker
            if len(checker.shared_lengths) >= checker.limits.shared_strings:
                self.refuse(
                    _(
                        "Bảng văn bản dùng chung của tệp (xl/sharedStrings.xml) có hơn %(max)s "
                        "đoạn văn bản khác nhau, vượt giới hạn: hãy chia thành nhiều tệp nhỏ hơn."
                    )
                    % {"max": _n(checker.limits.shared_strings)}
                )
            limit = checker.limits.cell_chars
            if self.length > limit:
                checker.too_long_shared.add(len(checker.shared_lengths))
            checker.shared_lengths.append(min(self.length, limit + 1))

    def text(self, data) -> None:
        super().text(data)
        if self.in_t:
            self.length += len(data)


class _Worksheet(_Part):
    """Rows and columns by reference, and each cell's characters, as the sheet streams by."""

    def __init__(self, checker, title):
        super().__init__(checker, title)
        self.title = title
        self.row = 0
        self.column = 0
        self.ref = ""
        self.cell_type = ""
        self.length = 0
        self.value_tag = ""  # inside a cell's <v>, <t> (inline string) or <f> (formula)
        self.index = ""  # the digits of a shared-string cell's <v>

    def too_long_run(self) -> None:
        self.refuse(
            _(
                "Trang “%(sheet)s” có một ô hoặc thẻ XML dài hơn %(max)s MB (gần ô %(cell)s): tệp "
                "bị từ chối vì lý do an toàn. Hãy nhập dữ liệu vào tệp mẫu và lưu lại bằng Excel."
            )
            % {"sheet": self.title, "max": _mb(_RUN_BYTES), "cell": self.where()},
            sheet=self.title,
        )

    def where(self) -> str:
        return self.ref or f"{get_column_letter(max(self.column, 1))}{max(self.row, 1)}"

    def bytes_read(self, read: int) -> None:
        limit = self.checker.limits.sheet_bytes
        if read > limit:
            self.refuse(
                _(
                    "Trang “%(sheet)s” quá lớn (hơn %(max)s MB dữ liệu khi giải nén): hãy chia "
                    "thành nhiều tệp nhỏ hơn."
                )
                % {"sheet": self.title, "max": _mb(limit)},
                sheet=self.title,
            )

    def start(self, tag, attrs) -> None:
        super().start(tag, attrs)
        local = _local(tag)
        if local == "c":
            self._cell(attrs)
        elif local in ("v", "t", "f"):
            self.value_tag = local
        elif local == "row":
            self._row(attrs)

    def _row(self, attrs) -> None:
        number = attrs.get("r")
        self.row = int(number) if number and number.isdigit() else self.row + 1
        self.column = 0
        limit = self.checker.limits.rows
        if self.row > limit:
            self.refuse(
                _(
                    "Trang “%(sheet)s” có dữ liệu hoặc định dạng đến dòng %(row)s, vượt giới hạn "
                    "%(max)s dòng mỗi trang: hãy chia thành nhiều tệp và xóa các dòng trống thừa "
                    "ở cuối trang."
                )
                % {"sheet": self.title, "row": _n(self.row), "max": _n(limit)},
                sheet=self.title,
            )

    def _cell(self, attrs) -> None:
        ref = attrs.get("r", "")
        match = _REF.fullmatch(ref)
        if match:
            self.column = column_index_from_string(match.group(1))
            self.row = max(self.row, int(match.group(2)))
        else:
            self.column += 1
            ref = ""
        self.ref = ref
        self.cell_type = attrs.get("t", "")
        self.length = 0
        self.index = ""
        limit = self.checker.limits.columns
        if self.column > limit:
            self.refuse(
                _(
                    "Trang “%(sheet)s”, ô %(cell)s: trang có hơn %(max)s cột (giới hạn): hãy xóa "
                    "các cột thừa."
                )
                % {"sheet": self.title, "cell": self.where(), "max": _n(limit)},
                sheet=self.title,
                column=re.sub(r"[0-9]", "", self.where()),
            )

    def end(self, tag) -> None:
        super().end(tag)
        local = _local(tag)
        if local in ("v", "t", "f"):
            self.value_tag = ""
        elif local == "c" and self.cell_type == "s" and self.index:
            if not self.index.isdigit():  # openpyxl would fail on it with a bare ValueError
                self._damaged()
            self._shared(int(self.index))

    def text(self, data) -> None:
        super().text(data)
        if not self.value_tag:
            return
        if self.cell_type == "s" and self.value_tag == "v":
            if len(self.index) < 12:
                self.index += data.strip()
            return
        self.length += len(data)
        self._count(len(data))

    def _shared(self, index: int) -> None:
        checker = self.checker
        if index in checker.too_long_shared:
            self.length = checker.limits.cell_chars + 1
            self._too_long()
        if index >= len(checker.shared_lengths):  # openpyxl: a bare IndexError
            self._damaged()
        self.length = checker.shared_lengths[index]
        self._count(self.length)

    def _count(self, added: int) -> None:
        checker = self.checker
        if self.length > checker.limits.cell_chars:
            self._too_long()
        checker.text_chars += added
        if checker.text_chars > checker.limits.text_chars:
            self.refuse(
                _(
                    "Tệp có hơn %(max)s ký tự dữ liệu (đến trang “%(sheet)s”, ô %(cell)s), vượt "
                    "giới hạn: hãy chia thành nhiều tệp nhỏ hơn (ví dụ theo xã)."
                )
                % {"max": _n(checker.limits.text_chars), "sheet": self.title, "cell": self.where()},
                sheet=self.title,
            )

    def _damaged(self) -> None:
        self.refuse(
            _(
                "Tệp .xlsx bị hỏng (trang “%(sheet)s”, ô %(cell)s không đọc được): hãy mở bằng "
                "Excel và lưu lại."
            )
            % {"sheet": self.title, "cell": self.where()},
            sheet=self.title,
        )

    def _too_long(self) -> None:
        cell = self.where()
        self.refuse(
            _(
                "Trang “%(sheet)s”, ô %(cell)s: nội dung dài hơn %(max)s ký tự (giới hạn mỗi ô): "
                "hãy rút gọn."
            )
            % {"sheet": self.title, "cell": cell, "max": _n(self.checker.limits.cell_chars)},
            sheet=self.title,
            column=re.sub(r"[0-9]", "", cell),
        )

"""What every importer shares: reading a CSV or GeoJSON file safely, checking each value,
collecting errors, the summary, and writing rows idempotently.

An import runs in two passes. The first reads and checks every row and writes nothing; if
any row is wrong it raises ImportFailed with all the errors found (row numbers as in the
file, the header being row 1). The second writes, in one transaction.

A kind built for very large files (UCDP GED) may instead check and write in one reading
(`single_pass`): it writes as it reads, inside the transaction, stops writing at the first
bad row but reads on to report every error, and the ImportFailed raised at the end rolls
back whatever it wrote. The database is left as it was all the same.
"""

from __future__ import annotations

import builtins
import codecs
import contextlib
import contextvars
import csv
import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

MAX_ERRORS = 100
MAX_WARNINGS = 100
NULLS = ("", "NA")

ProgressCallback = Callable[[int, int], None]
Number = TypeVar("Number", int, float)


@dataclass(frozen=True)
class RowError:
    """One problem in the file. `row` counts the header as row 1 (for GeoJSON, the feature
    number); `row` is None and `column` empty for problems with the whole file."""

    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row is not None else _("file")
        column = f", {self.column}" if self.column else ""
        value = f" {self.value!r}" if self.value else ""
        return f"{where}{column}:{value} {self.message}"


class ImportFailed(Exception):
    """The file was not imported; the database is as it was. `errors` holds at most
    MAX_ERRORS errors, `total` how many were found in all."""

    def __init__(self, errors: list[RowError], total: int | None = None):
        self.errors = list(errors)
        self.total = total if total is not None else len(self.errors)
        super().__init__(f"{self.total} error(s); first: {self.errors[0]}" if self.errors else "import failed")

    @property
    def omitted(self) -> int:
        return self.total - len(self.errors)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [error.as_dict() for error in self.errors]


class ErrorList:
    """Collects errors, keeping the first MAX_ERRORS and counting the rest."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, row: int | None, column: str, value: Any, message: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_ERRORS:
            text = "" if value is None else str(value)
            self.kept.append(RowError(row, column, text[:200], message))

    def __bool__(self) -> bool:
        return self.total > 0

    def fail(self) -> ImportFailed:
        return ImportFailed(self.kept, self.total)


@dataclass
class ImportSummary:
    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Side effects beyond the file's own records, e.g. {"organizations created": 17}.
    details: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def count(self, detail: str, n: int = 1) -> None:
        if n:
            self.details[detail] = self.details.get(detail, 0) + n


class Row:
    """One data row, with converters that record an error and return None on bad values,
    so that every problem in the row is reported, not just the first."""

    __slots__ = ("number", "values", "index", "errors", "failed")

    def __init__(self, number: int, values: list[str], index: dict[str, int], errors: ErrorList):
        self.number = number
        self.values = values
        self.index = index
        self.errors = errors
        self.failed = False

    def error(self, column: str, value: Any, message: str) -> None:
        self.failed = True
        self.errors.add(self.number, column, value, message)

    def raw(self, column: str) -> str:
        return self.values[self.index[column]]

    def as_read(self, columns: Iterable[str]) -> dict[str, str]:
        return {column: self.raw(column) for column in columns}

    def text(
        self, column: str, max_length: int | None = None, *, required: bool = False, nulls: tuple[str, ...] = ("",)
    ) -> str:
        value = self.raw(column).strip()
        if value in nulls:
            if required:
                self.error(column, value, _("a value is required"))
            return ""
        if max_length is not None and len(value) > max_length:
            self.error(column, value, _("longer than %(n)d characters") % {"n": max_length})
        return value

    def int(
        self,
        column: str,
        *,
        required: bool = False,
        nulls: tuple[str, ...] = NULLS,
        minimum: int | None = None,
        maximum: int | None = None,
        round_fraction: bool = False,
    ) -> int | None:
        """A whole number; "12.0" is read as 12 (statistics packages write whole numbers so).
        A fraction is an error unless `round_fraction`, where it is rounded."""
        value = self.raw(column).strip()
        if value in nulls:
            if required:
                self.error(column, value, _("a number is required"))
            return None
        try:
            number = int(value)
        except ValueError:
            decimal = self._finite(column, value)
            if decimal is None:
                return None
            if not decimal.is_integer() and not round_fraction:
                self.error(column, value, _("not a whole number"))
                return None
            number = round(decimal)
        return self._in_range(column, value, number, minimum, maximum)

    def float(
        self,
        column: str,
        *,
        required: bool = False,
        nulls: tuple[str, ...] = NULLS,
        minimum: builtins.float | None = None,
        maximum: builtins.float | None = None,
    ) -> builtins.float | None:
        value = self.raw(column).strip()
        if value in nulls:
            if required:
                self.error(column, value, _("a number is required"))
            return None
        number = self._finite(column, value)
        if number is None:
            return None
        return self._in_range(column, value, number, minimum, maximum)

    def _finite(self, column: str, value: str) -> builtins.float | None:
        """The value as a finite float, or None with an error recorded."""
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or number != number or number in (float("inf"), float("-inf")):
            self.error(column, value, _("not a number"))
            return None
        return number

    def _in_range(
        self, column: str, value: str, number: Number, minimum: Number | None, maximum: Number | None
    ) -> Number | None:
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(column, value, _("out of range (%(min)s to %(max)s)") % {"min": minimum, "max": maximum})
            return None
        return number

    def latitude(self, column: str, *, required: bool = True) -> builtins.float | None:
        return self.float(column, required=required, minimum=-90, maximum=90)

    def longitude(self, column: str, *, required: bool = True) -> builtins.float | None:
        return self.float(column, required=required, minimum=-180, maximum=180)

    def flag(self, column: str, *, nulls: tuple[str, ...] = NULLS) -> bool | None:
        """A 0/1 dummy ("0.0" and "1.0" too); None when empty."""
        number = self.int(column, nulls=nulls, minimum=0, maximum=1)
        return None if number is None else bool(number)

    def date(self, column: str, *, required: bool = True) -> dt.date | None:
        value = self.raw(column).strip()
        if not value:
            if required:
                self.error(column, value, _("a date is required"))
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, value, _("not a date (expected YYYY-MM-DD)"))
            return None

    def month(self, year_column: str, month_column: str) -> dt.date | None:
        """The first day of the month given as separate year and month columns."""
        year = self.int(year_column, required=True, minimum=1900, maximum=2100)
        month = self.int(month_column, required=True, minimum=1, maximum=12)
        return dt.date(year, month, 1) if year is not None and month is not None else None


def sniff_not_text(head: bytes) -> str | None:
    """Why these first bytes cannot be a CSV or JSON file, or None."""
    signatures = {
        b"PK\x03\x04": _("a ZIP archive or Excel workbook (.xlsx)"),
        b"\xd0\xcf\x11\xe0": _("an old Excel workbook (.xls)"),
        b"%PDF": _("a PDF document"),
        b"\x1f\x8b": _("a gzip archive"),
    }
    for signature, what in signatures.items():
        if head.startswith(signature):
            return what
    if b"\x00" in head:
        return _("a binary file")
    return None


class Importer:
    """Base of all importers. A subclass names its `kind`, and implements `records()` (pass
    one: parse and check, yielding records; errors go to `self.errors`) and `write()`."""

    kind = ""
    label = ""
    extensions: tuple[str, ...] = (".csv",)  # what the upload form accepts
    option_names: tuple[str, ...] = ()  # the options this kind takes, e.g. ("mission",)
    # Large files are read twice rather than held in memory between the passes.
    keep_records = True
    # Check and write in one reading: `read_and_write()` replaces records() and write().
    single_pass = False

    def __init__(self, path: str | Path, *, progress: ProgressCallback | None = None, **options: Any) -> None:
        unknown = set(options) - set(self.option_names)
        if unknown:
            raise TypeError(f"{self.kind} does not take option(s): {', '.join(sorted(unknown))}")
        self.path = Path(path)
        self.options = {name: value for name, value in options.items() if value not in (None, "")}
        self.errors = ErrorList()
        self.summary = ImportSummary(kind=self.kind, file=self.path.name)
        self._progress = progress

    # -- the run -------------------------------------------------------------------------

    def run(self) -> ImportSummary:
        started = time.perf_counter()
        self._rows_total = self.estimate_rows()
        if self.single_pass:
            with transaction.atomic():  # an error raised in here undoes every write
                self.read_and_write()
                self._end_of_reading()
        else:
            self.kept: list[Any] = []
            kept = self.kept
            for record in self.records():
                if self.keep_records:
                    kept.append(record)
            self._end_of_reading()
            self._rows_total = self.rows_read
            self._writing = True
            self._report(self._rows_total)  # checked: half way
            with transaction.atomic():
                self.write(kept if self.keep_records else self.reread())
        self._rows_total = self.rows_read
        self._report(2 * self._rows_total)
        self.summary.seconds = round(time.perf_counter() - started, 3)
        return self.summary

    def _end_of_reading(self) -> None:
        """Raise ImportFailed if the file had any error, once every row is read."""
        # Rows read, including any a kind skips on purpose (see its warnings and details).
        self.summary.rows = self.rows_read
        if not self.errors and self.rows_read == 0:
            self.errors.add(None, "", "", _("the file has no data rows"))
        if not self.errors:
            self.check_all()
        if self.errors:
            raise self.errors.fail()

    def reread(self) -> Iterator[Any]:
        """Pass two of a large file: the records again, already known to be valid."""
        yield from self.records()
        if self.errors:  # the file changed under us: the transaction is rolled back
            raise self.errors.fail()

    def records(self) -> Iterator[Any]:
        raise NotImplementedError

    def read_and_write(self) -> None:
        """The one pass of a `single_pass` kind, run inside the import's transaction: check
        every row (errors to `self.errors`) and write while no error is found."""
        raise NotImplementedError

    def check_all(self) -> None:
        """Checks that need every row (after pass one, before any write; the records are in
        `self.kept` when `keep_records`; in a `single_pass` kind, after its writes)."""

    def write(self, records: Iterable[Any]) -> None:
        raise NotImplementedError

    # -- helpers for subclasses ----------------------------------------------------------

    rows_read = 0
    _rows_total = 0
    _writing = False
    _next_report = 0

    def warn(self, message: str) -> None:
        warnings = self.summary.warnings
        if len(warnings) < MAX_WARNINGS:
            warnings.append(message)
        elif len(warnings) == MAX_WARNINGS:
            warnings.append(_("(further warnings omitted)"))

    def estimate_rows(self) -> int:
        return 0

    def advance(self, rows: int) -> None:
        """Report progress: `rows` read (or written) so far in the current pass. Pass one
        fills the first half of the bar, writing the second; a single pass fills all of it."""
        if self.single_pass:
            self._report(2 * rows)
        else:
            self._report(rows + (self._rows_total if self._writing else 0))

    def _report(self, units: int) -> None:
        if self._progress is None:
            return
        total = max(self._rows_total, 1)
        done = min(units // 2, total)
        if done >= self._next_report or done == total:
            self._next_report = done + max(total // 100, 1)
            self._progress(done, total)

    def file_error(self, message: str, value: str = "") -> ImportFailed:
        self.errors.add(None, "", value, message)
        return self.errors.fail()


class CsvImporter(Importer):
    """Reads a UTF-8 CSV file with a header row. Subclasses list `required_columns` and turn
    each Row into a record in `parse()` (returning None to skip a row on purpose)."""

    required_columns: tuple[str, ...] = ()

    def estimate_rows(self) -> int:
        lines = 0
        with open(self.path, "rb") as f:
            while chunk := f.read(1 << 20):
                lines += chunk.count(b"\n")
        return max(lines - 1, 0)

    column_index: dict[str, int] = {}  # set when the header is read

    def parse(self, row: Row) -> Any:
        raise NotImplementedError

    def records(self) -> Iterator[Any]:
        self.rows_read = 0
        for row in self.rows():
            record = self.parse(row)
            if not row.failed and record is not None:
                yield record

    def rows(self) -> Iterator[Row]:
        """Every data row as a Row, after checking the file is UTF-8 text with the columns."""
        for number, values in self.raw_rows():
            yield Row(number, values, self.column_index, self.errors)

    def raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        """Every data row as (row number, values), each with as many values as the header;
        sets `column_index` (column name -> position). Blank lines are skipped; a row of
        another width is an error (and skipped)."""
        with open(self.path, "rb") as f:
            head = f.read(4096)
        if not head.strip():
            raise self.file_error(_("the file is empty"))
        if what := sniff_not_text(head):
            raise self.file_error(_("this is %(what)s, not a CSV file") % {"what": what})
        with self._open_lines() as (lines, position):
            reader = csv.reader(lines)
            try:
                header = next(reader)
            except csv.Error as exc:
                raise self.file_error(_("not a readable CSV file: %(error)s") % {"error": exc})
            except StopIteration:
                raise self.file_error(_("the file is empty"))
            self.column_index = self._check_header(header)
            width = len(header)
            number = 1
            while True:
                number += 1
                position["row"] = number
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    self.errors.add(number, "", "", _("not readable as CSV: %(error)s") % {"error": exc})
                    raise self.errors.fail()
                if not "".join(values).strip():
                    continue  # a blank line
                self.rows_read += 1
                if self.rows_read % 1000 == 0:
                    self.advance(self.rows_read)
                if len(values) != width:
                    self.errors.add(
                        number,
                        "",
                        "",
                        _("%(found)d fields where the header has %(expected)d")
                        % {"found": len(values), "expected": width},
                    )
                    continue
                yield number, values

    @contextlib.contextmanager
    def _open_lines(self) -> Iterator[tuple[Iterable[str], dict[str, int]]]:
        """The file's lines as text, and the row being read (kept up to date by the reader,
        for encoding errors). A file that is all UTF-8 is read by the io module, several
        times faster than line by line; one that is not is read line by line, so the
        error names the row and byte where it stops."""
        position = {"row": 1}
        if self._is_utf8():
            with open(self.path, encoding="utf-8-sig", newline="") as text:
                yield text, position
        else:
            with open(self.path, "rb") as f:
                yield self._decoded_lines(f, position), position

    def _is_utf8(self) -> bool:
        decoder = codecs.getincrementaldecoder("utf-8")()
        with open(self.path, "rb") as f:
            try:
                while block := f.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return False
        return True

    def _check_header(self, header: list[str]) -> dict[str, int]:
        names = [name.strip() for name in header]
        if names and names[0].startswith(("{", "[")):
            raise self.file_error(_("this looks like JSON, not a CSV file"))
        missing = [name for name in self.required_columns if name not in names]
        if missing:
            self.errors.add(
                1, ", ".join(missing), "", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
            raise self.errors.fail()
        index: dict[str, int] = {}
        for position, name in enumerate(names):
            if name in index and name in self.required_columns:
                self.errors.add(1, name, name, _("column appears twice"))
                raise self.errors.fail()
            index.setdefault(name, position)
        return index

    def _decoded_lines(self, f: Iterable[bytes], position: dict[str, int]) -> Iterator[str]:
        """The file's lines as text, stopping with an error at the first byte that is not
        UTF-8 (a spreadsheet saved as Latin-1 or Windows-1252, usually)."""
        offset = 0
        first = True
        for raw in f:
            try:
                line = raw.decode("utf-8-sig" if first else "utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1]
                self.errors.add(
                    position["row"],
                    "",
                    bad.hex(),
                    _("the file is not UTF-8: byte 0x%(byte)s at byte position %(pos)d; save it as UTF-8 and try again")
                    % {"byte": bad.hex(), "pos": offset + exc.start},
                )
                raise self.errors.fail() from None
            first = False
            offset += len(raw)
            yield line


class GeoJsonImporter(Importer):
    """Reads a GeoJSON FeatureCollection; a feature's number (from 1) stands for the row."""

    extensions = (".geojson", ".json")

    def load_features(self) -> list[dict[str, Any]]:
        raw = self.path.read_bytes()
        if not raw.strip():
            raise self.file_error(_("the file is empty"))
        if what := sniff_not_text(raw[:4096]):
            raise self.file_error(_("this is %(what)s, not a GeoJSON file") % {"what": what})
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self.file_error(
                _("the file is not UTF-8: byte 0x%(byte)s at byte position %(pos)d")
                % {"byte": raw[exc.start : exc.start + 1].hex(), "pos": exc.start}
            )
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise self.file_error(
                _("not a GeoJSON file: invalid JSON at line %(line)d, column %(col)d (%(msg)s)")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            )
        if (
            not isinstance(data, dict)
            or data.get("type") != "FeatureCollection"
            or not isinstance(data.get("features"), list)
        ):
            raise self.file_error(_("not a GeoJSON FeatureCollection"))
        self.collection = data
        features: list[dict[str, Any]] = data["features"]
        return features


@dataclass
class Upserted:
    pks: dict[tuple[Any, ...], int]  # natural key -> primary key, for every record
    created: set[tuple[Any, ...]]
    updated: set[tuple[Any, ...]]


# The models an import writes in bulk (past their signals): run_import brings the search index
# (core.search) of those models up to date afterwards.
_written_models: contextvars.ContextVar[set[type[Model]] | None] = contextvars.ContextVar(
    "bluehelmet_import_written_models", default=None
)


def note_written(model: type[Model]) -> None:
    """Record that the running import wrote `model`'s rows in bulk (no signal was sent)."""
    written = _written_models.get()
    if written is not None:
        written.add(model)


@contextlib.contextmanager
def tracking_writes() -> Iterator[set[type[Model]]]:
    """Collect the models written in bulk inside the block (note_written)."""
    written: set[type[Model]] = set()
    token = _written_models.set(written)
    try:
        yield written
    finally:
        _written_models.reset(token)


def upsert(
    model: type[Model],
    key_fields: tuple[str, ...],
    records: list[dict[str, Any]],
    compare_fields: list[str],
    *,
    existing: QuerySet[Any],
    summary: ImportSummary | None = None,
    batch_size: int = 2000,
    label: str = "",
    need_pks: bool = True,
) -> Upserted:
    """Create the records missing from `existing` (a queryset to compare against, matched on
    `key_fields`), update those whose `compare_fields` differ, leave the rest. Counts go to
    the summary's created/updated/unchanged, or to its details under `label`.
    Without `need_pks`, new rows are inserted faster and their keys are not returned."""
    note_written(model)
    columns = dict.fromkeys(("pk", *key_fields, *compare_fields))
    old_rows = {tuple(row[k] for k in key_fields): row for row in existing.values(*columns)}
    to_create: list[tuple[tuple[Any, ...], Any]] = []
    to_update: list[tuple[int, dict[str, Any]]] = []
    pks: dict[tuple[Any, ...], int] = {}
    updated: set[tuple[Any, ...]] = set()
    for record in records:
        key = tuple(record[k] for k in key_fields)
        old = old_rows.get(key)
        if old is None:
            to_create.append((key, model(**record) if need_pks else record))
            continue
        pks[key] = old["pk"]
        if any(old[name] != record[name] for name in compare_fields):
            to_update.append((old["pk"], record))
            updated.add(key)
    if need_pks:
        model._default_manager.bulk_create([obj for _key, obj in to_create], batch_size=batch_size)
        for key, obj in to_create:
            pks[key] = obj.pk
    else:
        insert_rows(model, [record for _key, record in to_create])
    update_rows(model, to_update, compare_fields)
    if label and summary is not None:
        summary.count(f"{label} created", len(to_create))
        summary.count(f"{label} updated", len(to_update))
    elif summary is not None:
        summary.created += len(to_create)
        summary.updated += len(to_update)
        summary.unchanged += len(records) - len(to_create) - len(to_update)
    return Upserted(pks, {key for key, _obj in to_create}, updated)


def concrete_field(model: type[Model], name: str) -> models.Field[Any, Any]:
    """The model's field called `name` ("pk": its primary key), which must have a column."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} has no column of its own")
    return field


def update_rows(model: type[Model], updates: list[tuple[int, dict[str, Any]]], fields: list[str]) -> None:
    """UPDATE ... WHERE pk = ? for each (pk, values): what bulk_update does, minus the
    cost of building one CASE expression per field and row, which made it the slowest
    part of an import."""
    note_written(model)
    if not updates:
        return
    quote = connection.ops.quote_name
    columns = [concrete_field(model, name) for name in fields]
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(concrete_field(model, 'pk').column)} = %s"
    )
    params = [
        [column.get_db_prep_save(values[name], connection) for name, column in zip(fields, columns)] + [pk]
        for pk, values in updates
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# Field types whose Python values the database drivers take as they are.
PLAIN_FIELDS = (
    models.IntegerField,
    models.FloatField,
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.ForeignKey,
)


def insert_rows(model: type[Model], records: list[dict[str, Any]]) -> None:
    """INSERT the records (dicts of field attnames; missing fields take their defaults) with
    one executemany: bulk_create without building model instances, several times faster
    for the hundreds of thousands of rows of a GED file."""
    note_written(model)
    if not records:
        return
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepare = [
        None
        if isinstance(f, PLAIN_FIELDS) and not isinstance(f, models.JSONField)
        else (lambda value, f=f: f.get_db_prep_save(value, connection))
        for f in fields
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    names = [f.attname for f in fields]
    rows = []
    for record in records:
        row = [record.get(name, defaults[name]) for name in names]
        for i, convert in enumerate(prepare):
            if convert is not None:
                row[i] = convert(row[i])
        rows.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class KeyedWriter:
    """Writes rows, batch by batch, into the table of `model`, keyed on `key` (a field with a
    unique constraint): a row whose key is new is inserted, one whose key exists updates the
    stored row when any of `fields` differs and leaves it alone otherwise. For files of
    hundreds of thousands of rows: no model instances, no stored row read into Python, one
    or two statements per batch, the comparison made by the database.

    On PostgreSQL the batches are copied (COPY, its fastest way in) into a temporary table
    and merged into the real one at `finish()` by one UPDATE ... FROM of the rows that differ
    and one INSERT ... SELECT of the new ones. On SQLite, where an upsert costs twice an
    INSERT once foreign keys are checked, each batch asks which of its keys exist, INSERTs
    the others and UPDATEs the existing ones WHERE they differ. Each row is a sequence of
    values in the order of the columns: `key`, `fields`, then any columns set only when a
    row is created (`insert_only`). Use it inside a transaction; `finish()` returns
    (created, updated)."""

    def __init__(self, model: type[Model], key: str, fields: list[str], insert_only: tuple[str, ...] = ()):
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = [quote(concrete_field(model, name).column) for name in (key, *fields, *insert_only)]
        key_column = names[0]
        compared = names[1 : 1 + len(fields)]
        columns = ", ".join(names)
        self.postgresql = connection.vendor == "postgresql"
        self.compared = len(fields)
        self.created = self.updated = self.rows = 0
        self.deferred_indexes = self._defer_indexes_of_empty(model._meta.db_table)
        if self.postgresql:
            self.staging = quote(f"staging_{model._meta.db_table}")
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.staging}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.staging} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"
                )
            self.copy_sql = f"COPY {self.staging} ({columns}) FROM STDIN"
            assignments = ", ".join(f"{name} = staged.{name}" for name in compared)
            stored = ", ".join(f"{table}.{name}" for name in compared)
            incoming = ", ".join(f"staged.{name}" for name in compared)
            # Changed rows only: an ON CONFLICT DO UPDATE would lock (and so write) every
            # existing row, changed or not.
            self.update_sql = (
                f"UPDATE {table} SET {assignments} FROM {self.staging} AS staged "
                f"WHERE {table}.{key_column} = staged.{key_column} AND ({stored}) IS DISTINCT FROM ({incoming})"
            )
            self.insert_sql = (
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {self.staging} AS staged "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {table}.{key_column} = staged.{key_column})"
            )
        else:
            self.existing_sql = (
                f"SELECT {key_column} FROM {table} WHERE {key_column} IN (SELECT value FROM json_each(%s))"
            )
            self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
            assignments = ", ".join(f"{name} = %s" for name in compared)
            marks = ", ".join(["%s"] * len(compared))
            # IS NOT: "differs", NULL-safe.
            self.update_sql = (
                f"UPDATE {table} SET {assignments} WHERE {key_column} = %s AND ({', '.join(compared)}) IS NOT ({marks})"
            )

    @staticmethod
    def _defer_indexes_of_empty(table: str) -> list[str]:
        """On a first load (the table is empty), drop the table's secondary indexes and return
        the statements that rebuild them at `finish()`: building an index once over every row
        costs a fraction of keeping it up to date row by row (half of a first GED import's
        time was index upkeep). Unique indexes stay, so keys are still checked as rows go in.
        All inside the import's transaction: a failed import rolls the drop back too. On
        PostgreSQL DROP INDEX locks the table until the commit; the table is empty, so there
        is nothing to keep readers from."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                return []
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                    "WHERE t.relname = %s AND pg_table_is_visible(t.oid) AND NOT x.indisunique",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _name, definition in indexes]

    def write(self, rows: list[Any]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            cursor.execute(self.existing_sql, [json.dumps([row[0] for row in rows])])
            existing = {key for (key,) in cursor.fetchall()}
            new = [row for row in rows if row[0] not in existing] if existing else rows
            if new:
                cursor.executemany(self.insert_sql, new)
                self.created += len(new)
            if existing:
                end = 1 + self.compared
                changes = [(*row[1:end], row[0], *row[1:end]) for row in rows if row[0] in existing]
                cursor.executemany(self.update_sql, changes)
                self.updated += cursor.rowcount

    def finish(self) -> tuple[int, int]:
        """(rows created, rows updated)."""
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.staging}")  # no autovacuum for temporary tables
                cursor.execute(self.update_sql)
                self.updated = cursor.rowcount
                cursor.execute(self.insert_sql)
                self.created = cursor.rowcount
                cursor.execute(f"DROP TABLE {self.staging}")
        if self.deferred_indexes:
            with connection.cursor() as cursor:
                if self.postgresql:
                    # PostgreSQL refuses CREATE INDEX while deferred foreign-key checks are
                    # pending: run them now (they would run at the commit anyway).
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for definition in self.deferred_indexes:
                    cursor.execute(definition)
                if self.postgresql:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            self.deferred_indexes = []
        return self.created, self.updated

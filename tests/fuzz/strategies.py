"""Hypothesis strategies for every file Standby reads: valid ones, and broken ones.

Each strategy draws the bytes of one input file. Valid files are built from their parts
(people, roles, times, rows); broken ones from the same parts with hostile values put in
(NaN, infinities, 10^308, years 1 and 9999, empty cells, control characters, formulas,
stray quotes), or with the bytes cut, re-encoded or spliced. A loader must read each one,
or stop with a :class:`standby.StandbyError` naming the file.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
EPO = "Duty Emergency Planning Officer"
ROLES = (EPO, "Duty Senior Manager", "Rest Centre Manager", "Communications On Call")
PEOPLE = ("A. Jones", "B. Smith", "Renée Dupré", "C. O'Neill", "D. Okafor")

# --------------------------------------------------------------------------- values

#: Values that parsers accept and code may not be able to use.
HOSTILE_NUMBERS = st.sampled_from(
    [
        "nan",
        "NaN",
        ".nan",
        "inf",
        "-inf",
        ".inf",
        "1e308",
        "-1e308",
        "1.0e+308",
        "10000000000000000000000000000",
        "-1",
        "0",
        "-0",
        "0.0000001",
        "1e-320",
        "2.5",
        "99999999",
        "",
        " ",
        "one",
        "1,5",
        "1_000",
    ]
)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "=SUM(A1:A9)",
            "+44 7700 900100",
            "-",
            "@cmd",
            '"',
            '""',
            "'",
            ",",
            "\t",
            "\r\n",
            "\x00",
            "\x1b[2J",
            "\u202e",
            "[bold]x[/bold]",
            "A. Jones [backup]",
            "é" * 3,
            "日本",
            "\ud7ff",
            "x" * 5000,
            "null",
            "~",
            "yes",
            "no",
            "01:30",
            "Europe",
            "Europe/",
            "/etc/passwd",
            "../x",
            "%s%n",
            "${x}",
            "<script>",
        ]
    ),
    st.text(max_size=40),
)
YEARS = st.sampled_from([1, 2, 1899, 1900, 1970, 2025, 2026, 2027, 2199, 2200, 3026, 9998, 9999])


@st.composite
def instants(draw: Any) -> datetime:
    """A plausible rota time, now and then in a far year or across a clock change."""
    year = draw(st.one_of(st.just(2026), YEARS))
    day = draw(st.integers(0, 364))
    minute = draw(st.sampled_from([0, 90, 9 * 60, 17 * 60, 24 * 60 - 1, 60 + 30]))
    base = datetime(year, 1, 1) if year < 9999 else datetime(9999, 1, 1)
    return base + timedelta(days=day, minutes=minute)


@st.composite
def time_texts(draw: Any) -> str:
    """A time as a person or a spreadsheet writes it, or something hostile in its place."""
    t = draw(instants())
    y, mo, d, h, mi = (
        f"{t.year:04d}",
        f"{t.month:02d}",
        f"{t.day:02d}",
        f"{t.hour:02d}",
        f"{t.minute:02d}",
    )
    forms = [
        f"{y}-{mo}-{d} {h}:{mi}",
        f"{y}-{mo}-{d}T{h}:{mi}:00",
        f"{d}/{mo}/{y} {h}:{mi}",
        f"{y}-{mo}-{d}",
        f"{y}-{mo}-{d}T{h}:{mi}+01:00",
        f"{y}-{mo}-{d}T{h}:{mi}Z",
        f"{d}/{mo}/{y}",
        f"{mo}/{d}/{y} {h}:{mi}",
        f"{h}:{mi}",
    ]
    text = draw(st.sampled_from(forms))
    return draw(st.one_of(st.just(text), st.just(text), HOSTILE_TEXT, HOSTILE_NUMBERS))


def cells() -> st.SearchStrategy[str]:
    """Any cell of a sheet: mostly ordinary, sometimes hostile."""
    return st.one_of(
        st.sampled_from([*PEOPLE, *ROLES, "1", "2", ""]),
        time_texts(),
        HOSTILE_TEXT,
        HOSTILE_NUMBERS,
    )


# --------------------------------------------------------------------------- bytes


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def damaged(draw: Any, data: bytes) -> bytes:
    """``data`` as it arrived: whole, cut short, re-encoded, or with bytes spliced in.

    Places are drawn as a share of the length, so a workbook whose bytes differ from run to
    run (openpyxl stamps the time) still replays the same example.
    """
    how = draw(
        st.sampled_from(["whole", "whole", "whole", "cut", "utf16", "latin1", "splice", "quote"])
    )
    at = len(data) * draw(st.integers(0, 1000)) // 1000
    if how == "cut" and data:
        return data[: min(at, len(data) - 1)]
    if how == "utf16":
        return data.decode("utf-8", "replace").encode("utf-16")
    if how == "latin1":
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    if how == "splice":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if how == "quote":
        return data[:at] + b'"' + data[at:]
    return data


# --------------------------------------------------------------------------- rotas

ROTA_HEADER = ["person", "role", "start", "end", "level", "phone", "notes", "person_id"]


@st.composite
def shift_rows(draw: Any, *, hostile: bool = True) -> list[list[str]]:
    """Rows of shifts under the CSV columns (some columns left out now and then)."""
    header = draw(st.sampled_from([ROTA_HEADER[:4], ROTA_HEADER[:5], ROTA_HEADER]))
    count = draw(st.integers(0, 8))
    start = datetime(2026, 3, 23, 9)
    rows = [header]
    for index in range(count):
        begin = start + timedelta(days=7 * index)
        row = [
            draw(st.sampled_from(PEOPLE)),
            draw(st.sampled_from(ROLES)),
            begin.strftime("%Y-%m-%d %H:%M"),
            (begin + timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
            "1",
            "07700 900100",
            "",
            "",
        ][: len(header)]
        if hostile and draw(st.booleans()):
            row[draw(st.integers(0, len(row) - 1))] = draw(cells())
        if hostile and draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(0, len(row)))] or [*row, draw(cells())]
        rows.append(row)
    return rows


@st.composite
def rota_csv(draw: Any) -> bytes:
    return draw(damaged(csv_bytes(draw(shift_rows()))))


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    """What openpyxl can store: text without the control characters XML forbids."""
    if isinstance(value, str):
        return "".join(c for c in value if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff"))[
            :2000
        ]
    return value


@st.composite
def rota_xlsx_long(draw: Any) -> bytes:
    rows: list[list[Any]] = [list(row) for row in draw(shift_rows())]
    for row in rows[1:]:
        if len(row) > 3 and draw(st.booleans()):  # a real Excel date now and then
            row[2] = draw(instants())
    sheets = {"Rota": rows}
    if draw(st.booleans()):
        sheets["People"] = [["name"], *([name] for name in PEOPLE[: draw(st.integers(0, 5))])]
    return draw(damaged(workbook(sheets)))


@st.composite
def rota_xlsx_grid(draw: Any) -> bytes:
    roles = draw(
        st.lists(
            st.sampled_from([*ROLES, "Day", "Notes", f"{EPO} (backup)"]), min_size=1, max_size=4
        )
    )
    above = draw(
        st.lists(
            st.sampled_from(
                [
                    "handover: 09:00",
                    "shift length: 12h",
                    "hand over: 9",
                    "Prepared by: EP",
                    "handover: 25:00",
                    "shift length: 0d",
                ]
            ),
            max_size=2,
        )
    )
    rows: list[list[Any]] = [[text] for text in above]
    rows.append(["Date", *roles])
    day = datetime(2026, 3, 27)
    for index in range(draw(st.integers(0, 10))):
        date_cell: Any = (day + timedelta(days=index)).date()
        if draw(st.integers(0, 5)) == 0:
            date_cell = draw(cells())
        rows.append(
            [date_cell, *(draw(st.one_of(st.sampled_from(PEOPLE), cells())) for _ in roles)]
        )
    return draw(damaged(workbook({"Rota": rows})))


@st.composite
def yaml_values(draw: Any) -> Any:
    """A YAML scalar as a person might type it, or a hostile one."""
    return draw(
        st.one_of(
            st.sampled_from([*PEOPLE, *ROLES, "mon 09:00", "1w", "1d", "12h", 1, 2, 0.92, True]),
            time_texts(),
            HOSTILE_TEXT,
            HOSTILE_NUMBERS.map(_number_or_text),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-(10**30), max_value=10**30),
            st.none(),
            st.lists(st.sampled_from(PEOPLE), max_size=3),
        )
    )


def _number_or_text(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


@st.composite
def rota_document(draw: Any) -> dict[str, Any]:
    """A YAML or JSON rota's content: people, shifts, patterns, leave, requirements."""
    people = [
        {
            "id": f"p{i}",
            "name": name,
            "roles": [draw(st.sampled_from(ROLES))],
            "answer_probability": 0.9,
        }
        for i, name in enumerate(PEOPLE[: draw(st.integers(0, 4))])
    ]
    shifts = [
        dict(zip(ROTA_HEADER[:4], row, strict=False)) for row in draw(shift_rows(hostile=False))[1:]
    ]
    document: dict[str, Any] = {"timezone": "Europe/London", "people": people, "shifts": shifts}
    if draw(st.booleans()):
        document["patterns"] = [
            {
                "role": EPO,
                "people": [p["id"] for p in people] or ["p0"],
                "handover": "mon 09:00",
                "length": "1w",
                "start": "2026-01-05",
                "end": "2026-03-01",
            }
        ]
    if draw(st.booleans()):
        document["leave"] = [{"person": "p0", "start": "2026-01-12", "end": "2026-01-16"}]
    if draw(st.booleans()):
        document["requirements"] = [
            {"role": EPO, "min": 1, "when": {"days": ["mon"], "from": "08:00", "to": "20:00"}}
        ]
    for _ in range(draw(st.integers(0, 3))):  # hostile values in random places
        _poke(draw, document)
    return document


def _poke(draw: Any, document: Any) -> None:
    """Put a hostile value at a random place in ``document`` (a nested dict or list)."""
    node = document
    for _ in range(4):
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return
        key = draw(st.sampled_from(keys))
        child = node[key]
        if not isinstance(child, dict | list) or not child or draw(st.integers(0, 2)) == 0:
            node[key] = draw(yaml_values())
            return
        node = child


@st.composite
def rota_yaml(draw: Any) -> bytes:
    text = yaml.safe_dump(draw(rota_document()), allow_unicode=True, sort_keys=False)
    return draw(damaged(text.encode("utf-8", "surrogatepass")))


@st.composite
def rota_json(draw: Any) -> bytes:
    text = json.dumps(draw(rota_document()), default=str)  # NaN and Infinity as Python writes
    return draw(damaged(text.encode("utf-8", "surrogatepass")))


@st.composite
def requirements_yaml(draw: Any) -> bytes:
    document: dict[str, Any] = {
        "timezone": "Europe/London",
        "requirements": [
            {"role": EPO, "min": 1},
            {
                "role": "Rest Centre Manager",
                "min": 2,
                "when": {"days": ["sat", "sun", "bank_holiday"], "from": "17:00", "to": "08:45"},
            },
            {
                "role": EPO,
                "min": 2,
                "name": "Bonfire night",
                "dates": [{"start": "2026-11-05 17:00", "end": "2026-11-05 23:30"}],
            },
        ],
        "working_time": [
            {
                "role": EPO,
                "standby": "by_response_time",
                "response_minutes": 15,
                "reference_weeks": 17,
            }
        ],
    }
    for _ in range(draw(st.integers(0, 3))):
        _poke(draw, document)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return draw(damaged(text.encode("utf-8", "surrogatepass")))


ICS_PROPERTIES = ("DTSTART", "DTEND", "RRULE", "EXDATE", "DURATION", "SUMMARY", "UID", "CATEGORIES")


@st.composite
def rota_ics(draw: Any) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    if draw(st.booleans()):
        zones = ["Europe/London", "Europe", "GMT Standard Time", "Mars/Base"]
        lines.append(f"X-WR-TIMEZONE:{draw(st.sampled_from(zones))}")
    for index in range(draw(st.integers(0, 4))):
        start = datetime(2026, 3, 23, 9) + timedelta(days=7 * index)
        event = {
            "UID": f"e{index}",
            "SUMMARY": f"{draw(st.sampled_from(ROLES))}: {draw(st.sampled_from(PEOPLE))}",
            "DTSTART": f";TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
            "DTEND": f";TZID=Europe/London:{start + timedelta(days=7):%Y%m%dT%H%M%S}",
        }
        if draw(st.booleans()):
            event["RRULE"] = ":" + draw(
                st.sampled_from(
                    [
                        "FREQ=WEEKLY;COUNT=4",
                        "FREQ=DAILY;UNTIL=20260601T000000Z",
                        "FREQ=WEEKLY",
                        "FREQ=SECONDLY",
                        "FREQ=WEEKLY;COUNT=100000000",
                        "FREQ=MONTHLY;BYDAY=MO",
                        "FREQ=WEEKLY;INTERVAL=0",
                        "FREQ=NEVER",
                        "",
                    ]
                )
            )
        for _ in range(draw(st.integers(0, 2))):
            name = draw(st.sampled_from(ICS_PROPERTIES))
            value = draw(
                st.one_of(
                    st.sampled_from(
                        [
                            ":20261327T090000",
                            ":99991231T090000Z",
                            ":00010101T000000Z",
                            ";TZID=Europe:20260327T090000",
                            ";TZID=Council Time:20260327T090000",
                            ";VALUE=DATE:20260327",
                            ":2026-03-27 09:00",
                            ":P7D",
                            ":-P1D",
                            ":",
                            ';X="unclosed:1',
                        ]
                    ),
                    HOSTILE_TEXT.map(lambda text: ":" + text.replace("\n", " ").replace("\r", " ")),
                )
            )
            event[name] = value
        lines += [
            "BEGIN:VEVENT",
            *(f"{name}{value}" for name, value in event.items()),
            "END:VEVENT",
        ]
    if draw(st.integers(0, 5)) > 0:
        lines.append("END:VCALENDAR")
    return draw(damaged(("\r\n".join(lines) + "\r\n").encode("utf-8", "surrogatepass")))


# --------------------------------------------------------------------------- scenarios

CHLORINE = ROOT / "scenarios" / "library" / "chlorine-riverside.yaml"


@st.composite
def scenario_yaml(draw: Any) -> bytes:
    """The bundled chlorine scenario with values replaced at random places."""
    document = yaml.safe_load(CHLORINE.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(0, 4))):
        _poke(draw, document)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return draw(damaged(text.encode("utf-8", "surrogatepass")))


@st.composite
def weather_csv(draw: Any) -> bytes:
    rows = [["time", "wind_from_deg", "wind_speed_ms", "cloud_oktas"]]
    for hour in range(draw(st.integers(0, 6))):
        rows.append([f"2025-11-12 {hour:02d}:00", "225", "2.5", "2"])
        if draw(st.booleans()):
            rows[-1][draw(st.integers(0, 3))] = draw(cells())
    return draw(damaged(csv_bytes(rows)))


# --------------------------------------------------------------------------- exercises


def _exported_msel() -> list[list[str]]:
    from standby.reports.msel import msel_csv
    from standby.scenarios import load_scenario

    return list(csv.reader(io.StringIO(msel_csv(load_scenario("chlorine-riverside")))))


@st.composite
def sheet_with_pokes(draw: Any, rows: list[list[str]]) -> list[list[str]]:
    """``rows`` (a header and rows) with some cells replaced, rows dropped or doubled."""
    body = [list(row) for row in rows[1:]]
    if body and draw(st.booleans()):
        body = draw(st.lists(st.sampled_from(body), max_size=len(body) + 2))
    for _ in range(draw(st.integers(0, 4))):
        if body:
            row = draw(st.sampled_from(body))
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(cells())
    return [rows[0], *body]


@st.composite
def msel_csv(draw: Any) -> bytes:
    return draw(damaged(csv_bytes(draw(sheet_with_pokes(_exported_msel())))))


@st.composite
def msel_xlsx(draw: Any) -> bytes:
    return draw(damaged(workbook({"MSEL": draw(sheet_with_pokes(_exported_msel()))})))


PAPER_LOG = ROOT / "docs" / "examples" / "paper-log.csv"
PAPER_OBSERVATIONS = ROOT / "docs" / "examples" / "paper-observations.csv"
JSON_LOG = ROOT / "reports" / "examples" / "chlorine-riverside-log.json"


def _rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


@st.composite
def log_csv(draw: Any) -> bytes:
    return draw(damaged(csv_bytes(draw(sheet_with_pokes(_rows_of(PAPER_LOG))))))


@st.composite
def log_json(draw: Any) -> bytes:
    document = json.loads(JSON_LOG.read_text(encoding="utf-8"))
    document["records"] = document["records"][: draw(st.integers(0, 8))]
    for _ in range(draw(st.integers(0, 3))):
        _poke(draw, document)
    return draw(damaged(json.dumps(document, default=str).encode("utf-8", "surrogatepass")))


@st.composite
def observations_csv(draw: Any) -> bytes:
    return draw(damaged(csv_bytes(draw(sheet_with_pokes(_rows_of(PAPER_OBSERVATIONS))))))


@st.composite
def observations_yaml(draw: Any) -> bytes:
    rows = draw(sheet_with_pokes(_rows_of(PAPER_OBSERVATIONS)))
    document = {
        "exercise": {
            "name": "Exercise Northwick Shield",
            "date": draw(st.one_of(st.just("2026-03-18"), time_texts())),
        },
        "observations": [
            {key: value for key, value in zip(rows[0], row, strict=False) if value}
            for row in rows[1:]
        ],
    }
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return draw(damaged(text.encode("utf-8", "surrogatepass")))

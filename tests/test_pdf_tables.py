"""Tables as their authors meant them: merged headers, row groups, grouped rows, continued tables,
and real pages from camelot's tests (expected cells written from the printed pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.pdf_tables import FoundTable, continue_headers, is_checklist, join_side_by_side, merge_tables
from assistant.ingest.table_layout import header_rows, split_grouped, table_from_grid
from assistant.ingest.tables import Table, table_lines
from tests import docs

GOLDEN = Path(__file__).resolve().parent.parent / "bench" / "golden" / "tables"


# -- tables.py: from cells to labelled rows ----------------------------------------------------

def test_a_label_spanning_columns_is_joined_to_the_labels_under_it():
    rows = (("Region", "Quarter 1", "Quarter 1"), ("", "Sales", "Costs"), ("North", "10", "4"))
    assert table_lines(Table(rows, header_rows=2)) == ["Region: North; Quarter 1 / Sales: 10; Quarter 1 / Costs: 4"]


def test_a_label_printed_over_two_lines_reads_as_one_label():
    rows = (("State", "Medical &", "Family"), ("", "Public Health", "Welfare"), ("Kerala", "5,738", "245"))
    assert table_lines(Table(rows, header_rows=2)) == [
        "State: Kerala; Medical & Public Health: 5,738; Family Welfare: 245"]


def test_a_row_labelling_a_group_is_carried_on_the_rows_under_it():
    rows = (("Country", "2024", "2025"), ("Northern region", "", ""), ("Norway", "1.2", "1.4"),
            ("Sweden", "2.0", "2.1"), ("Southern region", "", ""), ("Spain", "3.3", "3.0"))
    assert table_lines(Table(rows)) == [
        "Group: Northern region; Country: Norway; 2024: 1.2; 2025: 1.4",
        "Group: Northern region; Country: Sweden; 2024: 2.0; 2025: 2.1",
        "Group: Southern region; Country: Spain; 2024: 3.3; 2025: 3.0"]


def test_a_title_across_the_top_is_its_own_line_not_part_of_the_labels():
    rows = (("Table 5: Outlay 2012-13", "", ""), ("State", "Revenue", "Capital"), ("Goa", "12", "3"))
    assert table_lines(Table(rows, header_rows=2)) == ["Table 5: Outlay 2012-13", "State: Goa; Revenue: 12; Capital: 3"]


def test_cell_text_keeps_its_spaces():
    rows = (("Name", "Post"), ("Smith J. R.", "Chief Financial Officer"))
    assert table_lines(Table(rows)) == ["Name: Smith J. R.; Post: Chief Financial Officer"]


# -- pdf_tables.py: what the layout means -------------------------------------------------------

def test_header_rows_are_those_above_the_first_row_of_figures():
    two = [["Cycle", "KI", "Savings", ""], ["", "", "Speed", "Idle"], ["2012_2", "3.30", "5.9%", "17.4%"]]
    assert header_rows(two) == 2
    assert header_rows([["Country", "2024", "2025"], ["Japan", "3.1", "3.4"]]) == 1  # years label columns
    assert header_rows([["Japan", "3.1", "3.4"], ["Peru", "1.0", "2.2"]]) == 0  # a continued table's body


def test_group_label_rows_above_the_first_figures_are_not_header_rows():
    rows = [["", "2011", "2012"], ["Outlays:", "", ""], ["Defense", "699", "709"], ["Social Security", "725", "773"]]
    assert header_rows(rows) == 1
    table = table_from_grid(rows)
    assert table is not None
    assert table_lines(table)[0] == "Group: Outlays; Column 1: Defense; 2011: 699; 2012: 709"


def test_a_header_over_several_sparse_lines_in_a_table_of_words():
    rows = [["DOCUMENT NO.", "DATE", "PAYEE NAME", "DATES"], ["", "POSTED", "", ""],
            ["DHAW1", "05/03/2019", "SMITH, ALVARO R", "03/04/2019"],
            ["DHAW2", "05/24/2019", "BAIN, J MATTHEW", "03/10/2019"]]
    table = table_from_grid(rows)
    assert table is not None and table.header_rows == 2
    assert table_lines(table)[0] == ("DOCUMENT NO.: DHAW1; DATE POSTED: 05/03/2019; PAYEE NAME: SMITH, ALVARO R; "
                                     "DATES: 03/04/2019")


def test_prose_in_columns_and_numbered_transcript_lines_are_not_tables():
    prose = [["contains notices to the public of the", "proposal, explain the reason for any"],
             ["issuance of rules and regulations. The", "recommended change, and include"],
             ["purpose of these notices is to give", "supporting data. To ensure the docket"]]
    assert table_from_grid(prose) is None
    transcript = [[str(n), f"MR. SMITH: the witness said that on line {n} of the record"] for n in range(1, 9)]
    assert table_from_grid(transcript) is None
    serials = [["S. No.", "Licensee", "Date"]] + [[str(n), f"Firm {n} Ltd", "28-03-2014"] for n in range(1, 9)]
    assert table_from_grid(serials) is not None


def test_leader_dots_and_a_header_printed_again_are_dropped():
    rows = [["Offense", "Total"], ["Offense", "Total"], ["Violent crime . . . . . . .", "467 .9"]]
    table = table_from_grid(rows)
    assert table is not None and table_lines(table) == ["Offense: Violent crime; Total: 467.9"]


def test_a_form_list_of_tick_boxes_in_columns_is_not_a_table():
    items = Table((("Actions taken", ""), ("Screening of report", "Referral to services"),
                   ("Safety plan implemented", "Case closed by agency"),
                   ("Placement with relatives", "Supervised visit")), 1)
    found = FoundTable((40, 200, 550, 300), items)
    boxes = [(x, y, x + 9, y + 9) for y in (230, 250, 270) for x in (45, 330)]
    assert is_checklist(found, boxes)
    assert not is_checklist(found, [])


def test_rows_grouped_between_two_rulings_are_split_line_by_line():
    row = ["North\nSouth\nEast", "1,204\n877\n90", "31\n12\n4"]
    assert split_grouped(row) == [["North", "1,204", "31"], ["South", "877", "12"], ["East", "90", "4"]]
    labels = ["Read &\nWrite", "Under 18\nyears", "Total"]
    assert split_grouped(labels) == [labels]


def test_a_table_printed_in_two_blocks_side_by_side_is_one_table_again():
    left = FoundTable((40, 45, 630, 480), Table((("", "Checks", "Checks"), ("State", "Permit", "Handgun"),
                                                 ("Texas", "21,550", "56,941"), ("Utah", "10,429", "4,314"),
                                                 ("Totals", "804,006", "671,330")), 2))
    right = FoundTable((715, 64, 970, 481), Table((("Rentals", "Totals"), ("42", "146,982"), ("0", "21,772"),
                                                   ("1,067", "2,236,457")), 1))
    beside_words = FoundTable((715, 64, 970, 481), Table((("Office", "Head"), ("Leith", "Ann"), ("Oban", "Bo"),
                                                          ("Wick", "Cy")), 1))
    (joined,) = join_side_by_side([left, right])
    assert table_lines(joined.table)[0] == \
        "State: Texas; Checks / Permit: 21,550; Checks / Handgun: 56,941; Rentals: 42; Totals: 146,982"
    assert table_lines(joined.table)[-1].endswith("Totals: 2,236,457")
    assert join_side_by_side([left, beside_words]) == [left, beside_words]  # a table of its own, with labels
    shorter = FoundTable(right.bbox, Table(right.table.rows[:-1], 1))
    assert join_side_by_side([left, shorter]) == [left, shorter]  # rows that do not pair up


def test_a_table_continued_on_the_next_page_keeps_its_header():
    first = FoundTable((50, 400, 500, 780), Table((("Port", "Ships", "Tonnes"), ("Leith", "12", "3,400")), 1))
    going_on = FoundTable((50, 60, 500, 300), Table((("Rosyth", "7", "1,900"), ("Oban", "3", "220")), 0))
    unrelated = FoundTable((50, 500, 500, 700), Table((("Name", "Role"), ("Ann", "Clerk")), 1))
    out = continue_headers([[first], [going_on], [unrelated]], [792.0, 792.0, 792.0])
    assert out[1][0].table.header_rows == 1
    assert table_lines(out[1][0].table)[0] == "Port: Rosyth; Ships: 7; Tonnes: 1,900"
    assert out[2][0].table == unrelated.table


def test_a_log_of_dated_rows_has_one_header_row_and_its_next_page_none():
    rows = [["Notice Date", "Effective", "Company", "City", "No. Of"],
            ["06/22/2015", "03/25/2016", "Maxim Integrated", "San Jose", "150"],
            ["06/30/2015", "08/29/2015", "McGraw-Hill", "Monterey", "137"]]
    assert header_rows(rows) == 1
    going_on = table_from_grid([["07/17/2015", "09/18/2015", "Boeing Company", "Huntington Beach", "65"],
                                ["07/20/2015", "09/18/2015", "Minno, Inc.", "San Francisco", "255"]])
    assert going_on is not None and going_on.header_rows == 0  # so the page before lends its header
    dated_labels = [["Item", "01/02/2024", "02/02/2024"], ["Rice", "3.1", "3.4"]]
    assert header_rows(dated_labels) == 1  # dates alone, no figure among them, are labels


def test_an_aligned_table_running_over_two_ruled_tables_keeps_them_apart():
    log = FoundTable((30, 100, 780, 500), Table((("Date", "Company", "Employees"), ("06/22/2015", "Maxim", "150")), 1))
    summary = FoundTable((30, 520, 780, 600),
                         Table((("Month", "Notices", "Employees"), ("July 2015", "71", "8,574")), 1))
    run_together = FoundTable((30, 100, 780, 600), Table((("Date", "", "Company", "", "Employees", "Notices"),
                                                          ("06/22/2015", "", "Maxim", "", "150", "")), 1))
    assert merge_tables([log, summary], [run_together]) == [log, summary]
    wider = FoundTable((30, 100, 780, 500), Table((("Date", "Company", "City", "Employees"),
                                                   ("06/22/2015", "Maxim", "San Jose", "150")), 1))
    assert merge_tables([log], [wider]) == [wider]  # one ruled table read with fewer columns than printed


def test_a_ruled_table_over_two_pages_reads_with_its_header_on_both(tmp_path):
    from assistant.ingest.ocr import OcrOptions
    from assistant.ingest.pdf import convert_pdf

    def grid(rows: list[list[str]], top: int) -> str:
        ops = ""
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                ops += docs._text_op(78 + c * 150, top - (r + 1) * 24 + 8, cell)
        bottom = top - len(rows) * 24
        for r in range(len(rows) + 1):
            ops += f"72 {top - r * 24} m 522 {top - r * 24} l S\n"
        for c in range(4):
            ops += f"{72 + c * 150} {top} m {72 + c * 150} {bottom} l S\n"
        return ops

    page1 = docs._text_op(72, 740, "Arrivals by port, 2024.") + grid(
        [["Port", "Ships", "Tonnes"], ["Leith", "12", "3,400"], ["Dundee", "9", "2,100"]], 700)
    page2 = grid([["Rosyth", "7", "1,900"], ["Oban", "3", "220"]], 760)
    path = tmp_path / "arrivals.pdf"
    path.write_bytes(docs._pdf_bytes([page1, page2]))
    converted = convert_pdf(path.read_bytes(), "x", OcrOptions(enabled=False))
    assert "Port: Leith; Ships: 12; Tonnes: 3,400" in converted.pages[0]
    assert "Port: Oban; Ships: 3; Tonnes: 220" in converted.pages[1]


# -- real pages (camelot's test PDFs, bench/golden/tables) ---------------------------------------

def _lines(name: str, page: int) -> list[str]:
    import pdfplumber

    from assistant.ingest.pdf_tables import find_tables

    with pdfplumber.open(GOLDEN / name) as pdf:
        return [line for t in find_tables(pdf.pages[page - 1]) for line in table_lines(t.table)]


def test_a_ruled_table_with_a_two_row_spanning_header():
    lines = _lines("us-030.pdf", 2)
    assert ("Cycle Name: 2012_2; KI (1/km): 3.30; Distance (mi): 1.3; Percent Fuel Savings / Improved Speed: 5.9%; "
            "Percent Fuel Savings / Decreased Accel: 9.5%; Percent Fuel Savings / Eliminate Stops: 29.2%; "
            "Percent Fuel Savings / Decreased Idle: 17.4%") in lines
    assert len(lines) == 5


def test_an_unruled_table_with_a_header_printed_over_four_lines():
    lines = _lines("health.pdf", 1)
    assert ("States-A: Kerala; Revenue / Medical & Public Health: 27,923,965; Revenue / Family Welfare: 3,985,473; "
            "Capital / Medical & Public Health: 929,503; Capital / Family Welfare: 0; "
            "Total Revenue & Capital: 32,838,941; Others(1): 334,640; Total: 33,173,581") in lines


def test_row_spans_label_every_row_they_cover():
    lines = _lines("row_span_1.pdf", 1)
    assert "Plan Type: COHS; County: Lassen; Plan Name: Partnership Health Plan of CA; Totals: 7,360" in lines
    assert sum(line.startswith("Plan Type: GMC; County: Sacramento;") for line in lines) == 4


def test_a_prose_page_has_no_tables(tmp_path):
    path = tmp_path / "prose.pdf"
    docs.write_pdf(path, ["The council met on Tuesday and approved the budget for the harbour repairs."])
    assert _lines_of(path) == []


def _lines_of(path: Path) -> list[str]:
    import pdfplumber

    from assistant.ingest.pdf_tables import find_tables

    with pdfplumber.open(path) as pdf:
        return [line for page in pdf.pages for t in find_tables(page) for line in table_lines(t.table)]


@pytest.mark.parametrize("name", ["twotables_2.pdf"])
def test_two_tables_on_one_page_are_read_apart(name):
    lines = _lines(name, 1)
    assert "State: Kerala; n: 2400; Literacy Status / Illiterate: 7.2; Literacy Status / Read & Write: 0.5; " \
           "Literacy Status / 1-4 std.: 25.3; Literacy Status / 5-8 std.: 20.1; Literacy Status / 9-12 std.: 41.5; " \
           "Literacy Status / College: 5.5" in lines
    assert sum(line.startswith("State: Kerala;") for line in lines) == 2


# -- a scanned table (unstructured's example image, bench/golden/tables) -------------------------

@pytest.mark.slow
@pytest.mark.skipif(__import__("shutil").which("tesseract") is None, reason="tesseract-ocr is not installed")
def test_a_scanned_table_reads_as_rows_under_its_merged_headers():
    from PIL import Image

    from assistant.ingest.ocr import recognise

    text = recognise(Image.open(GOLDEN / "table-multi-row-column-cells.png").convert("L"), "eng").text
    rows = text.splitlines()
    blind = next(line for line in rows if "Blind" in line)
    for cell in ("Disability Category: Blind", "Participants: 5", "Ballots Completed: 1",
                 "Ballots Incomplete/Terminated: 4", "Results / Accuracy: 34.5%, n=1",
                 "Results / Time to complete: 1199 sec, n=1"):
        assert cell in blind
    mobility = next(line for line in rows if "Mobility" in line)
    assert "Ballots Incomplete/Terminated: 0" in mobility and "Results / Accuracy: 95.4%, n=3" in mobility
    assert len([line for line in rows if "Disability Category:" in line]) == 4


def test_narrow_columns_of_running_text_are_no_table():
    """A report set in three narrow columns lined up like a table (cells of four words or fewer);
    its lines carry on the sentence above, in lower case, as a table's cells do not."""
    from assistant.ingest.table_layout import table_from_grid

    prose = [["1. Works in phase 1", "waterfront site. Night work", "ential embankment. The"],
             ["The harbour authority", "is forbidden within two", "budget allows a contingency"],
             ["approved the dredging", "hundred metres of homes", "of ten percent for works"],
             ["programme for the", "and the contractor must", "that cannot be foreseen"],
             ["northern channel in", "keep a record of noise", "at the time of tender"]]
    assert table_from_grid(prose) is None
    table = [["Region", "Jobs", "Notes"], ["North", "12", "new plant"], ["South", "7", "closed in May"],
             ["East", "3", "seasonal"], ["West", "9", "unchanged"]]
    assert table_from_grid(table) is not None

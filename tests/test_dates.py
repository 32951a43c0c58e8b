import pytest

from assistant.text.dates import find_dates


@pytest.mark.parametrize(
    "text, wording, iso, precision, target",
    [
        ("On April 4, 2025, China added", "April 4, 2025", "2025-04-04", "day", False),
        ("on 4 April 2025 it", "4 April 2025", "2025-04-04", "day", False),
        ("released 2024-03-05 today", "2024-03-05", "2024-03-05", "day", False),
        ("controls implemented in April 2025 subject", "April 2025", "2025-04", "month", False),
        ("visit in mid-May 2026 was", "mid-May 2026", "2026-05", "month", False),
        ("a plan in late 2023 aimed", "late 2023", "2023-09", "season", False),
        ("growth in spring 2025", "spring 2025", "2025-03", "season", False),
        ("results for Q3 2024", "Q3 2024", "2024-07", "season", False),
        ("a network by the end of 2025, increasing", "by the end of 2025", "2025", "year", True),
        ("1.4 nanometer density by 2031.", "by 2031", "2031", "year", True),
        ("A 2025 RAND assessment noted", "2025", "2025", "year", False),
    ],
)
def test_date_forms_keep_wording_and_precision(text, wording, iso, precision, target):
    (found,) = find_dates(text)
    assert (found.wording, found.when.iso(), found.when.precision, found.target) == (wording, iso, precision, target)
    assert text[found.start : found.end] == wording


def test_no_false_dates_in_numbers_and_offsets_shift():
    assert find_dates("It costs $53 billion for 1.4 nanometer chips and 900 workers.") == []
    (d,) = find_dates("in May 2025", offset=100)
    assert (d.start, d.end) == (103, 111)


def test_invalid_calendar_dates_are_ignored():
    assert [d.when.precision for d in find_dates("February 30, 2025")] == ["year"]


def test_a_line_that_is_only_a_date_or_a_time_is_a_value_not_a_heading():
    from assistant.text.dates import only_a_date_or_time

    assert only_a_date_or_time("7:30 a.m.")
    assert only_a_date_or_time("Tuesday, January 13, 2009")
    assert only_a_date_or_time("April 6, 2016")
    assert not only_a_date_or_time("3. CLOSED SESSION")
    assert not only_a_date_or_time("Meeting of April 6, 2016")  # a heading naming its date
    assert not only_a_date_or_time("Sunnyvale, CA 94087")


def test_a_year_inside_a_code_is_no_date_and_a_range_of_years_keeps_both():
    assert [d.wording for d in find_dates("AD 2018–23–51 applies to all 737 MAX airplanes.")] == []
    assert [d.wording for d in find_dates("Totals for 2013–2022 rose.")] == ["2013", "2022"]


def test_the_date_of_a_named_document_is_not_when_the_sentence_happened():
    """A Federal Register notice's timeline was filled with "…Service Bulletin, dated June 12, 2020"."""
    found = find_dates("The AD requires Service Bulletin 737–31–1860, dated June 12, 2020, on March 13, 2019.")
    assert [(d.wording, d.edition) for d in found] == [("June 12, 2020", True), ("March 13, 2019", False)]
    named = find_dates("In September 2020, we reported that the 2018 National Cyber Strategy and its 2019 "
                       "Implementation Plan fell short.")
    assert [(d.wording, d.edition) for d in named] == [("September 2020", False), ("2018", True), ("2019", True)]
    events = find_dates("In 2007 Congress passed the act; the 2020 census followed.")
    assert [d.edition for d in events] == [False, False]

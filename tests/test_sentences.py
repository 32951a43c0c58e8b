from assistant.text.sentences import is_labelled_value, is_statement, split_sentences


def spans(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_splits_on_terminal_punctuation_and_keeps_exact_text():
    text = "The U.S. imposed controls in 2025. Dr. Smith disagreed! Was it wise? Yes, e.g. for chips."
    assert spans(text) == ["The U.S. imposed controls in 2025.", "Dr. Smith disagreed!", "Was it wise?",
                           "Yes, e.g. for chips."]


def test_lines_are_boundaries_and_bullets_are_not_cited():
    text = "Heading Without Stop\n- First item: it matters.\n  2. Second item.\n"
    assert spans(text) == ["Heading Without Stop", "First item: it matters.", "Second item."]


def test_decimals_and_initials_do_not_split():
    expected = ["It costs 1.4 billion.", "J. K. Rowling wrote it."]
    assert spans("It costs 1.4 billion. J. K. Rowling wrote it.") == expected


def test_statements_exclude_headings_and_questions():
    assert not is_statement("How Are Chip Restrictions Reshaping the Competition?")
    assert not is_statement("Rare Earths")
    assert is_statement("China added seven elements to its export control list.")


WRAPPED = (
    "Confounding the assignment of a geographic\n"
    "point of origin, the pandemic spread more or less\n"
    "simultaneously in three waves. The question was not\n"
    "resolved until the 1930s,\n"
    "when related viruses were isolated from pigs.\n"
    "Serologic studies soon\n"
    "linked both viruses to the pandemic (8).\n"
)


def test_hard_wrapped_lines_join_into_whole_sentences():
    assert spans(WRAPPED) == [
        "Confounding the assignment of a geographic\npoint of origin, the pandemic spread more or less\n"
        "simultaneously in three waves.",
        "The question was not\nresolved until the 1930s,\nwhen related viruses were isolated from pigs.",
        "Serologic studies soon\nlinked both viruses to the pandemic (8).",
    ]


def test_headings_bullets_and_finished_lines_still_end_at_the_line():
    text = (
        "Introduction\n"
        "The first paragraph is written on one line and is long enough to be a paragraph of prose.\n"
        "Results of the Vaccine Trial\n"
        "mice were protected.\n"
        "# Methods in brief\n"
        "we sampled bats in caves across the province\n"
        "- a bullet that wraps\n"
        "  onto a second line\n"
        "- a second bullet\n"
        "The end of a sentence.\n"
        "Another line\n"
    )
    assert spans(text) == [
        "Introduction",
        "The first paragraph is written on one line and is long enough to be a paragraph of prose.",
        "Results of the Vaccine Trial\nmice were protected.",
        "Methods in brief",
        "we sampled bats in caves across the province",
        "a bullet that wraps\n  onto a second line",
        "a second bullet",
        "The end of a sentence.",
        "Another line",
    ]


def test_a_short_heading_above_a_wrapped_paragraph_stays_apart():
    text = "The role of bats\nBats carry many coronaviruses without falling ill, which makes\nthem a reservoir.\n"
    assert spans(text) == ["The role of bats",
                           "Bats carry many coronaviruses without falling ill, which makes\nthem a reservoir."]


def test_a_wrapped_sentence_may_end_on_a_capitalised_line():
    text = ("Most infections have been caused by descendants of the 1918\n"
            "Virus, including drifted and reassorted\nH2N2 and H3N2 Viruses.\n")
    assert spans(text) == [text.strip()]


def test_a_line_ending_on_an_abbreviation_goes_on_and_code_fences_stay_lines():
    text = "The model was described by Smith et al.\n(2019) in detail, and it was\nreplicated later.\n"
    assert spans(text) == [text.strip()]
    code = "Run it as shown:\n```\nbriefing index build --json and then\nbriefing ask a question here\n```\n"
    assert spans(code) == ["Run it as shown:", "briefing index build --json and then", "briefing ask a question here"]


def test_a_form_s_labelled_value_and_a_line_in_capitals_state_something():
    """Issue 34: "NUMBER OF RECORDS RETURNED: 983" and a bulletin's capitals were never cited."""
    assert is_statement("NUMBER OF RECORDS RETURNED: 983")
    assert is_statement("Date of incident: 01/09/2015")
    assert is_statement("327 BALLOTS CAST IN PRECINCT ACTON GROUP 13")
    assert not is_statement("GENERAL PROVISIONS")
    # a listing's row states its record, whatever its case and punctuation; a heading with one figure does not
    assert is_statement("PISTOL SEMI-AUTOMATIC CARL WALTHER PPK 7.65 FOUND _d__ 832229 Tag#:SJ4664-1 GO SJ")
    assert not is_statement("Chapter 3 Appendix Tables For The Annual Report Of The Board")
    assert not is_labelled_value("Summary of the findings:")  # a label without its value
    # a sentence with a colon is no form's label
    assert not is_labelled_value("What the court held about section 4 of the statute on appeal: reversed")


def test_a_footnote_number_after_a_full_stop_ends_the_sentence_it_marks():
    text = ("On November 7, 2018, the FAA issued Emergency AD 2018–23–51 as an interim corrective action.6 "
            "The FAA sent it to all known owners. It spread in Wuhan.1,2 Since then it grew. Version 1.6 The end. "
            "See p.6 Then more.")
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "On November 7, 2018, the FAA issued Emergency AD 2018–23–51 as an interim corrective action.6",
        "The FAA sent it to all known owners.", "It spread in Wuhan.1,2", "Since then it grew.",
        "Version 1.6 The end.", "See p.6 Then more."]


def test_a_table_row_is_one_sentence_whatever_its_cells_hold():
    """Realdocs fr-aoa-test-cost-table: a cost row was cut after a cell's "Up to $6,715." and the
    answer cited its first half, without the "$248,200" asked for."""
    row = ("Action: Stabilizer wiring change AOA sensor system test; Labor cost: Up to 79 work-hours × $85 per "
           "hour = Up to $6,715. 40 work-hours × $85 per hour = $3,400.; Cost on U.S. operators: Up to $766,865. "
           "$248,200.")
    assert [row[a:b] for a, b in split_sentences(row)] == [row]
    prose = "The test costs $6,715. 40 work-hours are needed."
    assert len(split_sentences(prose)) == 2  # outside a row, a figure may open a sentence
    # a structured abstract on one line is shaped like a row and is still prose, sentence by sentence
    abstract = "Objectives: To study outcomes. Design: A cohort study; Setting: One hospital. Results: Deaths fell."
    assert len(split_sentences(abstract)) == 3

from assistant.ingest.sentences import is_statement, split_sentences


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

"""Reference entries, figure labels and copyright lines are never answer sentences (issue 25)."""

from __future__ import annotations

import pytest

from assistant.ingest.apparatus import apparatus, is_label, is_reference_entry, references_sections
from assistant.ingest.chunking import chunk_document
from assistant.text.sentences import split_sentences
from assistant.types import DocMeta, Document


@pytest.mark.parametrize("entry", [
    "[1] Cereda, D. et al. The early phase of the COVID-19 outbreak in Lombardy, Italy. arXiv (2020).",
    "Swerdlow DL, Finelli L, Bridges CB. 2009 H1N1 influenza pandemic. Clin Infect Dis. 2011;52(suppl 1):S1-S3.",
    "Frost WH. Statistics of influenza morbidity. Public Health Rep. 1920;35:584-97.",
    "DOI: 10.1128/genomea.00319-17",
    "https://doi.org/10.3390/jcm9030623",
    # a report's footnote citing another report by its imprint
    "1 GAO, Cybersecurity: Clarity of Leadership Urgently Needed to Fully Implement the National Strategy, "
    "GAO-20-629 (Washington, D.C.: Sept. 22, 2020).",
])
def test_reference_entries_are_recognised_anywhere(entry):
    assert is_reference_entry(entry)


@pytest.mark.parametrize("prose", [
    "The mean incubation period was 5.2 days (95% CI: 4.1-7.0).",
    "Bidirectional Sanger sequencing was performed by Macrogen Korea (http://www.macrogen.com).",
    "Smith et al. (2020) found that the mean incubation period was 5.2 days in Wuhan.",
    "The CD40L gene was driven by a modified vaccinia H5 promoter (Vaccine 1996, 14:1451), as before.",
    "Huawei, SMIC and Cambricon received state funds in 2024.",
    "2 The flight control system for 737 MAX airplanes includes two flight control computers.",  # a footnote
    "The report (Washington, D.C.: GAO, 2020) found that the strategy did not address cost.",
])
def test_prose_that_cites_in_passing_is_a_statement(prose):
    assert not is_reference_entry(prose)
    assert not is_label(prose)


def test_labels_and_copyright_lines():
    assert is_label("Figure 2. Incidence of influenza by week, 1918.")
    assert is_label("FIGURE 1 | Types of immune responses elicited by immunization.")
    assert is_label("Table S1 : General primers for genome sequencing.")
    assert is_label("© 2020 American Medical Association.")
    assert not is_label("Table salt was given to every patient in the trial.")
    assert not is_label("Figure skaters were studied over three seasons in Canada.")


ARTICLE = ("Findings\n\nThe mean incubation period was 5.2 days. Figure 1. Incubation periods by age.\n\n"
           "References\n1. Origin and evolution of the 1918 influenza virus hemagglutinin gene.\n"
           "2. Reid AH, Taubenberger JK. The origin of the 1918 pandemic influenza virus.\n\n"
           "Appendix\n\nThe survey asked every household about symptoms in March.\n")


def test_a_references_section_runs_from_its_heading_to_the_next_heading():
    (start, end), = references_sections(ARTICLE)
    assert ARTICLE[start:end].strip().startswith("1. Origin") and ARTICLE[end:].startswith("Appendix")
    spans = split_sentences(ARTICLE, 0)
    skipped = {ARTICLE[a:b] for a, b in apparatus(ARTICLE, spans)}
    assert any("Origin and evolution" in s for s in skipped)  # a title with no marks of its own
    assert "Figure 1. Incubation periods by age." in skipped
    assert "The mean incubation period was 5.2 days." not in skipped
    assert "The survey asked every household about symptoms in March." not in skipped


def test_chunks_do_not_offer_apparatus_as_sentences_but_keep_its_text():
    doc = Document("a.txt", ARTICLE, DocMeta(sha256="x", title="Findings", format="txt"))
    chunks = chunk_document(doc, 2000, 100)
    offered = {ARTICLE[a:b] for c in chunks for a, b in c.sentences}
    assert "The mean incubation period was 5.2 days." in offered
    assert not any("Reid AH" in s or s.startswith("Figure 1") for s in offered)
    assert "Reid AH" in "".join(c.text for c in chunks)  # still searchable by BM25

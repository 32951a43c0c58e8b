"""Answering a question, in the order a question passes through the modules below.

- ``engine``: the question-answering engine: thread-safe, one ``request`` per question.
- ``request``: one question's working context (snapshot, settings, scope), made once.
- ``conversation``: follow-up questions resolved against the turns before them.
- ``candidates``: the sentences of the passages found, each knowing the sentence before it.
- ``asked_kind``: the kind of thing a question asks for (a person, a date, a figure): a ranking signal.
- ``sentence_scores``: how well one sentence answers the question.
- ``lists``: questions that ask for several things of a kind, and sentences that enumerate.
- ``ranking``: the candidate sentences scored and ranked, for answers and briefs alike.
- ``verdict``: whether the corpus covers a question or a topic: the one refusal decision.
- ``coverage``: near-topic questions about something the corpus never mentions.
- ``expected_type``: the kind of answer a question asks for, and whether a sentence is one.
- ``compose``: sentences chosen and each cited as a verified span.
- ``marked``: an answer's citations and the answer itself carry the markings of what they quote.
- ``tuning``: the values answers are tuned by, in one typed place.
"""

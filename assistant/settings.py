"""One settings model for the whole application, in sections, validated when it is loaded.

Long because every setting lives here and nowhere else, each with the docstring its reference
page is generated from: the sections are small, and their number makes the length.

Every setting is read from the environment as ``BRIEFING_<NAME>`` (its field name in upper case),
except the two paths users set most, ``BRIEFING_CORPUS`` and ``BRIEFING_INDEX`` (and the cache,
``BRIEFING_CACHE``). The sections (``paths``, ``ingest``, ``shape``, ``embedding``, ``retrieval``,
``answers``, ``briefs``, ``watch``, ``server``, ``cluster``, ``markings``) group what belongs together; a
setting's name is unique across them, so a command-line option or a test names it alone. A bad
value is refused at load time with one line naming the variable and what it accepts, so no
command ever starts work with a setting it cannot use. Paths live here and nowhere else, so tests
can point them at temporary folders.

pydantic-settings reads the environment (from ``os.environ``, or a mapping a caller passes:
``Settings.from_env(env)``); pydantic does the typing (``Literal`` choices, bounds, booleans such
as ``yes``/``0``); the docstring under each field is its description (``use_attribute_docstrings``),
from which ``docs/settings.md`` is generated.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from assistant.errors import ConfigError

ENV_PREFIX = "BRIEFING_"
_ENV_NAMES = {"corpus_dir": "BRIEFING_CORPUS", "index_dir": "BRIEFING_INDEX", "cache_dir": "BRIEFING_CACHE"}
"""Short names for the paths users set most (the only variables that are not ``BRIEFING_<NAME>``)."""

Embedders = Literal["onnx", "onnx-int8", "torch"]
Fusions = Literal["convex", "rrf"]
VectorModes = Literal["sentences", "passages"]
Devices = Literal["cpu", "cuda"]
TitleModes = Literal["auto", "always", "never"]
_SECRETS = frozenset({"api_token"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
SHORT_DOCUMENT_CHUNKS = 4
"""A document at most this many ``chunk_size`` long is short (``title_prefix``="auto"): an
abstract or a note, not an article."""

_ENVIRONMENT: ContextVar[Mapping[str, str] | None] = ContextVar("briefing_environment", default=None)
"""The variables a ``Settings.from_env`` call reads (None: the process's)."""


class _Variables(EnvSettingsSource):
    """pydantic-settings' environment source, over the mapping ``from_env`` was given."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        env = _ENVIRONMENT.get()
        read = super()._load_env_vars() if env is None else {k.lower(): v for k, v in env.items()}
        # a path set by its short name only: BRIEFING_CORPUS, never BRIEFING_CORPUS_DIR as well
        unnamed = {(ENV_PREFIX + field).lower() for field in _ENV_NAMES}
        return {k: v for k, v in read.items() if k not in unnamed and v is not None and v.strip() != ""}


class Section(BaseSettings):
    """A group of settings, each read from ``BRIEFING_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid",
                                      use_attribute_docstrings=True, validate_default=True, env_ignore_empty=True,
                                      populate_by_name=True, str_strip_whitespace=True)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _Variables(settings_cls)


def _path_alias(field: str) -> str:
    """The variable a path is read from (by name in code: ``populate_by_name``)."""
    return _ENV_NAMES[field]


class PathSettings(Section):
    """Where things are: the corpus, the index, the user's cache, exports."""

    corpus_dir: Path = Field(Path("corpus"), validation_alias=_path_alias("corpus_dir"))
    """Folder of source documents; a document's id is its path relative to this folder."""

    index_dir: Path = Field(Path("index"), validation_alias=_path_alias("index_dir"))
    """Folder holding the built index (generated, never committed)."""

    cache_dir: Path | None = Field(None, validation_alias=_path_alias("cache_dir"))
    """The user's cache for Briefing (the exported ONNX models, made once and shared by every
    index). Unset: ``$XDG_CACHE_HOME/briefing``, else ``~/.cache/briefing``."""

    exports_dir: Path = Path("exports")
    """Default folder for Markdown briefing notes exported from the TUI."""


class IngestSettings(Section):
    """How files are read: size limits, OCR, parallel reading."""

    max_file_mb: float = Field(50.0, gt=0, le=10_000)
    """Files larger than this are refused (and reported) instead of read into memory (an mbox,
    a whole mailbox of documents, may be 20 times larger)."""

    ocr: bool = True
    """Read scanned pages and images with Tesseract (when it is installed). Off: such pages are
    skipped with a reason, as when Tesseract is missing."""

    ocr_languages: str = Field("eng", pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")
    """Tesseract languages, joined by '+' ("eng", "eng+fra"); each needs its Debian package
    (``tesseract-ocr-fra``). Applies to files read from then on (``index build --full`` re-reads all)."""

    ocr_dpi: int = Field(300, ge=72, le=600)
    """Resolution a scanned PDF page is rendered at for OCR (300 is Tesseract's sweet spot)."""

    ocr_low_confidence: float = Field(60.0, ge=0, le=100)
    """Pages whose mean OCR word confidence (0-100) is below this are listed by ``index status``."""

    read_workers: int | None = Field(None, ge=1, le=64)
    """Files read (parsed, OCR'd, chunked) at once by a local build (default: one per CPU)."""


class IndexShape(Section):
    """What an index is made of: a change to any of these rebuilds it. Its dump is the manifest's
    fingerprint (``index.plan.index_fingerprint``), so a setting added here is never forgotten there."""

    chunk_size: int = Field(800, ge=50, le=100_000)
    """Target chunk length in characters for the recursive splitter."""

    chunk_overlap: int = Field(120, ge=0, le=50_000)
    """Characters shared by consecutive chunks, so a sentence cut by a boundary is still whole in one chunk."""

    title_prefix: TitleModes = "auto"
    """Whether a document's title takes part in its passages (their pooled vectors and BM25
    text). "auto" (the default): for short documents only, those of at most
    ``SHORT_DOCUMENT_CHUNKS`` chunks' length (abstracts, notes, messages), whose title speaks for
    every passage; across a long article it would blur the passages into one another. "always"
    or "never" (also ``1``/``0``) decide for every document. Changing it rebuilds the index."""

    @field_validator("title_prefix", mode="before")
    @classmethod
    def _title_prefix_from_bool(cls, value: Any) -> Any:
        """``BRIEFING_TITLE_PREFIX=1`` (the older boolean switch) still means "always"."""
        if isinstance(value, bool):
            return "always" if value else "never"
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return "always" if value.strip().lower() in _TRUE else "never"
        return value

    vectors: VectorModes = "sentences"
    """What the model embeds at build time. "sentences" (the default): every distinct sentence
    once, each passage's vector pooled from its sentences' (``pooling``), so a question costs one
    embedding. "passages": each passage as a whole, sentences embedded at question time
    (``sentence_pool`` per question: asks several times slower). Changing it rebuilds the index."""


    @model_validator(mode="after")
    def _overlap_below_size(self) -> IndexShape:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError(f"{env_name('chunk_overlap')} must be smaller than {env_name('chunk_size')}")
        return self

    def title_heads(self, text_length: int) -> bool:
        """Whether a document whose text is ``text_length`` characters long has its title take
        part in its passages (``title_prefix``): the one place that decides it."""
        if self.title_prefix == "auto":
            return text_length <= SHORT_DOCUMENT_CHUNKS * self.chunk_size
        return self.title_prefix == "always"


class EmbeddingSettings(Section):
    """The embedding model's backend, device and batches."""

    embedder: Embedders = "onnx-int8"
    """Embedding backend: "onnx-int8" (the default: onnxruntime with int8 weights, about twice as
    fast as float on CPU, cosine about 0.99 to the reference), "onnx" (float, the reference's
    vectors) or "torch" (sentence-transformers, the reference itself; same vectors as "onnx").
    The ONNX models are exported once per user into ``cache_dir``. Changing to or from int8
    rebuilds the index."""

    device: Devices = "cpu"
    """Where the model runs: "cpu", or "cuda" (onnxruntime's CUDA provider, for a Ray worker on a
    GPU node; without one, the CPU is used after one warning). "torch" uses its own device choice."""

    embed_batch_size: int = Field(16, ge=1, le=1024)
    """Texts per call to the embedding model (bigger batches pad more on CPU)."""


class RetrievalSettings(Section):
    """Finding passages: how many, how the two rankings are fused, the dense index's tiers."""

    top_k: int = Field(8, ge=1, le=1000)
    """Passages retrieved per question before sentence selection."""

    rrf_k: int = Field(60, ge=1, le=100_000)
    """Reciprocal Rank Fusion constant: larger values flatten the contribution of rank."""

    fusion: Fusions = "convex"
    """How dense and BM25 results are combined: "convex" (weighted sum of min-max normalised
    scores) or "rrf" (reciprocal rank fusion). The comparison is in bench/results/fusion_sweep.json."""

    dense_weight: float = Field(0.6, ge=0, le=1)
    """Weight of the dense (embedding) side in the fusion."""

    sparse_weight: float = Field(0.4, ge=0, le=1)
    """Weight of the BM25 side in the fusion."""

    best_sentence: float = Field(0.3, ge=0, le=1)
    """Share of a passage's dense score taken from its most similar sentence, the rest from its
    pooled vector: how much the passage says the thing asked, not only how near it is on
    average. Needs the sentence vectors of the default ``vectors="sentences"``."""

    hnsw_threshold: int = Field(50_000, ge=1)
    """Chunk count above which the dense index is HNSW instead of exact (flat)."""

    ivf_threshold: int = Field(1_000_000, ge=1)
    """Chunk count above which the dense index is IVF-PQ: compressed codes a few percent of the
    vectors' size, re-scored against the memory-mapped vectors, with its recall@10 measured at
    build time. Below it, HNSW holds every vector in memory."""


    @model_validator(mode="after")
    def _some_weight(self) -> RetrievalSettings:
        if self.dense_weight + self.sparse_weight <= 0:
            raise ValueError(f"{env_name('dense_weight')} and {env_name('sparse_weight')} cannot both be 0")
        return self


class AnswerSettings(Section):
    """Answers: when to refuse, how many sentences, how long."""

    refusal_threshold: float = Field(0.20, ge=0, le=1)
    """Relevance below which Briefing refuses whatever the question. Set low enough to keep
    answerable questions of corpora whose scores run low (policies: 0.2% refused on
    policyqa-dev), because off-topic questions are also refused by their words (``coverage``)."""

    sentence_pool: int = Field(16, ge=1, le=1000)
    """Candidate sentences embedded per question (the rest are ranked out by cheaper signals);
    the main cost of an answer on CPU."""

    answer_budget: int = Field(450, ge=40, le=100_000)
    """Soft cap on the answer's length in characters."""

    max_sentences: int = Field(3, ge=1, le=50)
    """Most sentences an answer may cite."""


class BriefSettings(Section):
    """Briefs: what their history keeps."""

    brief_history_text: bool = False
    """Keep the topics of briefs as text in the index folder's brief history (what
    ``--new-since last`` reads). Off: each topic is kept as a salted hash, and ``last`` works
    the same; topics can be sensitive."""


class WatchSettings(Section):
    """A watched corpus (``briefing watch``, ``serve``, the TUI)."""

    watch_settle_ms: int = Field(500, ge=50, le=60_000)
    """Watching the corpus (``briefing watch``, ``serve``, the TUI): a burst of changes is over,
    and a changed file finished, once nothing has changed for this long."""

    watch_max_burst_ms: int = Field(5000, ge=100, le=600_000)
    """…and a burst that goes on longer is built in parts of at most this long."""

    watch_polling: bool = False
    """Poll the corpus folder for changes instead of asking the operating system: for network
    shares (NFS, SMB) and containers' mounted folders, whose changes are not reported."""


class ServerSettings(Section):
    """``briefing serve``: who gets in, limits, the access log."""

    api_token: str | None = Field(None, min_length=16, repr=False)
    """``briefing serve``: the bearer token every request must carry (``Authorization: Bearer
    …``). Required to bind anything but the loopback interface; at least 16 characters."""

    serve_workers: int = Field(2, ge=1, le=64)
    """``briefing serve``: questions answered at once (each uses a core)."""

    serve_queue: int = Field(32, ge=0, le=10_000)
    """…and requests that may wait for one; past that the server answers 503 at once."""

    serve_timeout_s: float = Field(60.0, gt=0, le=3600)
    """…and how long a request may take, waiting included, before it gets 504."""

    serve_max_body_kb: int = Field(64, ge=1, le=10_240)
    """…the largest request body accepted (413 above it)."""

    serve_max_question_chars: int = Field(2000, ge=10, le=100_000)
    """…the longest question or topic accepted (400 above it)."""

    serve_allowed_origins: str = ""
    """…browser origins allowed to call the API, comma-separated ("https://intranet.example");
    a request from any other origin is refused (403), which blocks DNS-rebinding pages."""

    serve_log_questions: bool = False
    """…whether the access log records question and topic text; by default it records the
    method, path, status and duration only, since questions can be sensitive."""

    serve_tokens_file: Path | None = None
    """…a TOML file of the clients allowed in: ``[[token]]`` tables of ``sha256`` (the hex
    SHA-256 of the client's bearer token, never the token itself), ``name`` and ``clearance``
    (``markings``). Each request is answered at its token's clearance, and the access log names
    the token. With it, ``api_token`` is not needed."""

    serve_idle_timeout_s: float = Field(5.0, gt=0, le=3600)
    """…how long a connection may stay open without a request (after connecting, or after an
    answer) before the server closes it."""

    serve_read_timeout_s: float = Field(10.0, gt=0, le=3600)
    """…how long a client may take to send a whole request, headers and body, however slowly
    it sends; past it the client gets 408 and the connection is closed."""

    serve_max_connections: int = Field(1024, ge=8, le=100_000)
    """…connections open at once (fewer when the open-files limit, ``ulimit -n``, is lower).
    Past it the connection waiting longest for a request is closed to make room; when every
    one has a request running, a new connection gets 503."""


class MarkingSettings(Section):
    """Protective markings (``assistant.markings``): the scheme, and the reader's clearance."""

    markings_file: Path | None = None
    """The marking scheme (levels, caveats, folder rules: ``markings.scheme``). Unset:
    ``markings.toml`` beside the corpus folder when there is one; with neither, documents carry
    no markings and every reader sees everything."""

    clearance: str | None = Field(None, pattern=r"^[^/\s][^\n]*$", max_length=200)
    """The CLI's and the TUI's clearance (``--clearance``): a level of the scheme, then the
    caveats held, "SECRET/NOFORN". Unset: the level of unmarked documents, so nothing marked
    above it is shown. Needs a marking scheme."""


class ClusterSettings(Section):
    """Builds on a Ray cluster."""

    ray_address: str | None = None
    """Build on a Ray cluster (``briefing index build --ray ADDRESS``): "local" starts one on this
    machine, "auto" joins the one running here, "host:port" (or "ray://host:port") a remote one."""

    @field_validator("ray_address")
    @classmethod
    def _ray_address_form(cls, value: str | None) -> str | None:
        if value is not None:
            check_ray_address(value)
        return value

    ray_workers: int | None = Field(None, ge=1, le=100_000)
    """Model replicas a Ray build starts (default: one per CPU of the cluster)."""

SECTIONS: dict[str, type[Section]] = {
    "paths": PathSettings, "ingest": IngestSettings, "shape": IndexShape, "embedding": EmbeddingSettings,
    "retrieval": RetrievalSettings, "answers": AnswerSettings, "briefs": BriefSettings, "watch": WatchSettings,
    "server": ServerSettings, "cluster": ClusterSettings, "markings": MarkingSettings,
}
"""Every section, by the attribute of ``Settings`` that holds it."""
_SECTION_OF = {name: section for section, cls in SECTIONS.items() for name in cls.model_fields}
"""Which section holds each setting (names are unique across sections)."""


class Settings(BaseModel):
    """Every setting, in its section: ``settings.shape.chunk_size``, ``settings.paths.index_dir``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    paths: PathSettings
    ingest: IngestSettings
    shape: IndexShape
    embedding: EmbeddingSettings
    retrieval: RetrievalSettings
    answers: AnswerSettings
    briefs: BriefSettings
    watch: WatchSettings
    server: ServerSettings
    cluster: ClusterSettings
    markings: MarkingSettings

    @property
    def models_dir(self) -> Path:
        """Where exported models live (``cache_dir`` resolved against the environment now)."""
        return (self.paths.cache_dir or default_cache_dir(os.environ)) / "models"

    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable that sets ``field``."""
        return env_name(field)

    @classmethod
    def fields(cls) -> dict[str, str]:
        """Every setting's name and the section holding it."""
        return dict(_SECTION_OF)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``BRIEFING_*`` variables (of ``env``, else the process's), then explicit
        overrides by setting name (CLI options; None means not given)."""
        given = {name: value for name, value in overrides.items() if value is not None}
        unknown = sorted(set(given) - set(_SECTION_OF))
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}")
        environment = os.environ if env is None else env
        with _reading(env):
            sections = {section: _section(kind, {n: v for n, v in given.items() if _SECTION_OF[n] == section},
                                          environment)
                        for section, kind in SECTIONS.items()}
        paths = sections["paths"]
        if isinstance(paths, PathSettings) and paths.cache_dir is None:
            sections["paths"] = paths.model_copy(update={"cache_dir": default_cache_dir(environment)})
        return cls(**sections)

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` (by setting name) applied, validated like a loaded one."""
        unknown = sorted(set(changes) - set(_SECTION_OF))
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}")
        sections: dict[str, Section] = {name: getattr(self, name) for name in SECTIONS}
        with _reading({}):
            for section, kind in SECTIONS.items():
                mine = {n: v for n, v in changes.items() if _SECTION_OF[n] == section}
                if mine:
                    sections[section] = _section(kind, {**sections[section].model_dump(), **mine}, {})
        return Settings(**sections)


def env_name(field: str) -> str:
    """The environment variable that sets ``field``."""
    return _ENV_NAMES.get(field, ENV_PREFIX + field.upper())


@contextmanager
def _reading(env: Mapping[str, str] | None) -> Iterator[None]:
    token = _ENVIRONMENT.set(env)
    try:
        yield
    finally:
        _ENVIRONMENT.reset(token)


def _section(kind: type[Section], given: dict[str, Any], env: Mapping[str, str]) -> Section:
    try:
        return kind(**given)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc, given, env)) from None


_HOST_PORT = re.compile(r"^(?:ray://)?(?P<host>[A-Za-z0-9_.\-\[\]:]*[A-Za-z0-9_\]])[:](?P<port>\d{1,5})$")


def check_ray_address(value: str) -> str:
    """``value`` if it can be a Ray cluster's address ("local", "auto", "host:port" or
    "ray://host:port"), else a ``ValueError`` that says what is accepted: "--json" given where
    an address belongs is a mistake to report, not an address to try for minutes."""
    if value in ("local", "auto"):
        return value
    m = _HOST_PORT.match(value)
    if m is None or value.startswith("-") or not 0 < int(m["port"]) < 65536:
        raise ValueError(f"{value!r} is not a Ray address: use local, auto, host:port or ray://host:port")
    return value


def default_cache_dir(env: Mapping[str, str]) -> Path:
    """The XDG base-directory rule: ``$XDG_CACHE_HOME/briefing`` when it is an absolute path."""
    xdg = env.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path(env.get("HOME") or Path.home()) / ".cache"
    return base / "briefing"




def _one_line(exc: ValidationError, given: dict[str, Any], env: Mapping[str, str]) -> str:
    """The first problem, named as the user wrote it: the variable and its value, or the option."""
    error = exc.errors(include_url=False)[0]
    loc = error.get("loc") or ()
    name = str(loc[0]) if loc else ""
    if name.upper().startswith(ENV_PREFIX):  # an alias: BRIEFING_CORPUS
        name = next((f for f, v in _ENV_NAMES.items() if v == name.upper()), name.lower())
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if not name:
        return f"invalid settings: {message}"
    if name in given:
        value = given[name]
        where = name
    else:
        where = env_name(name)
        value = env.get(where, error.get("input"))
    shown = "…" if name in _SECRETS else repr(value)  # a secret is never echoed
    return f"{where}={shown} is not allowed: {message.lower()}"

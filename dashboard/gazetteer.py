"""The gazetteer: find a comune by name, as typed (the first half of "when do the cars pass
my town?"; dashboard/passage_times.py answers for each route).

The gazetteer is assets/basemap/comuni.csv (every comune with a representative point; ISTAT
data, CC BY 4.0, see assets/basemap/ATTRIBUTION.md). It ships with the app; nothing here
touches the network. Everything returns plain values (no formatted texts): the page words
them in its two languages.

Search forgives case, accents, apostrophes, hyphens, dots and spaces (`normalise`), and small
typos (rapidfuzz's similarity of the keys, scored against every name). "Name (PC)" picks a
province by its two-letter code (or its 3-digit ISTAT code) when several comuni share a name.
"""

from __future__ import annotations

import bisect
import csv
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 0.75  # similarity (rapidfuzz fuzz.ratio / 100) for suggestions
FIND_CUTOFF = 0.8  # ... and for taking a misspelling as a town ("Milano Marittima" is not
# "Massa Marittima", 0.76; "Treviglo" is Treviglio, 0.94)
CLEAR_LEAD = 0.02  # how far the best close match must lead the next to be taken alone

# ISTAT province code -> automobile code (sigla), as of the 2023 data (111 = Sud Sardegna).
PROVINCES = {
    "001": "TO", "002": "VC", "003": "NO", "004": "CN", "005": "AT", "006": "AL", "007": "AO",
    "008": "IM", "009": "SV", "010": "GE", "011": "SP", "012": "VA", "013": "CO", "014": "SO",
    "015": "MI", "016": "BG", "017": "BS", "018": "PV", "019": "CR", "020": "MN", "021": "BZ",
    "022": "TN", "023": "VR", "024": "VI", "025": "BL", "026": "TV", "027": "VE", "028": "PD",
    "029": "RO", "030": "UD", "031": "GO", "032": "TS", "033": "PC", "034": "PR", "035": "RE",
    "036": "MO", "037": "BO", "038": "FE", "039": "RA", "040": "FC", "041": "PU", "042": "AN",
    "043": "MC", "044": "AP", "045": "MS", "046": "LU", "047": "PT", "048": "FI", "049": "LI",
    "050": "PI", "051": "AR", "052": "SI", "053": "GR", "054": "PG", "055": "TR", "056": "VT",
    "057": "RI", "058": "RM", "059": "LT", "060": "FR", "061": "CE", "062": "BN", "063": "NA",
    "064": "AV", "065": "SA", "066": "AQ", "067": "TE", "068": "PE", "069": "CH", "070": "CB",
    "071": "FG", "072": "BA", "073": "TA", "074": "BR", "075": "LE", "076": "PZ", "077": "MT",
    "078": "CS", "079": "CZ", "080": "RC", "081": "TP", "082": "PA", "083": "ME", "084": "AG",
    "085": "CL", "086": "EN", "087": "CT", "088": "RG", "089": "SR", "090": "SS", "091": "NU",
    "092": "CA", "093": "PN", "094": "IS", "095": "OR", "096": "BI", "097": "LC", "098": "LO",
    "099": "RN", "100": "PO", "101": "KR", "102": "VV", "103": "VB", "108": "MB", "109": "FM",
    "110": "BT", "111": "SU",
}  # fmt: skip
_SIGLA_TO_CODE = {sigla: code for code, sigla in PROVINCES.items()}

# Names the shipped CSV spells wrongly (an encoding slip upstream), by ISTAT code. The C1
# control characters (cp1252 read as latin-1) are repaired generically in _repair_name.
_NAME_FIXES = {"031022": ("Savogna d'Isonzo-Sovodnje ob So?i", "Savogna d'Isonzo-Sovodnje ob Soči")}

_COLUMNS = ("istat_code", "name", "province_code", "region", "lat", "lon")
_NOT_ALNUM = re.compile(r"[\W_]+")  # also drops the combining accents NFKD splits off
_C1_CONTROL = re.compile("[\x80-\x9f]")
_PROVINCE_SUFFIX = re.compile(r"^(.*?)\s*\(\s*([A-Za-z]{2}|\d{1,3})\s*\)\s*$")


class GazetteerError(ValueError):
    """The comuni file cannot be used; the message says where and what."""


def normalise(text: str) -> str:
    """The search key of a name: lowercase, no accents, letters and digits only.

    Apostrophes, hyphens, dots, slashes and spaces are dropped, so "Castell'Arquato",
    "castellarquato" and "CASTELL ARQUATO" are the same key; "Forlì" is "forli".
    """
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


def aliases(name: str, separators: str = "/") -> set[str]:
    """The name's key and the keys of its parts ("Bolzano/Bozen" -> bolzanobozen, bolzano, bozen)."""
    keys = {normalise(name)}
    if any(sep in name for sep in separators):
        keys.update(normalise(part) for part in re.split(f"[{re.escape(separators)}]", name))
    keys.discard("")
    return keys


@dataclass(frozen=True, slots=True)
class Town:
    istat_code: str
    name: str
    province_code: str  # 3-digit ISTAT code, e.g. "033"
    province: str  # two-letter code, e.g. "PC" (the ISTAT code when unknown)
    region: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        return f"{self.name} ({self.province})"

    @property
    def key(self) -> str:
        return normalise(self.name)


@dataclass(frozen=True, eq=False, repr=False)
class Gazetteer:
    """All comuni, with a normalised-name index. Build with load_gazetteer."""

    towns: tuple[Town, ...]
    # key -> towns: those with that full name, then those with it as a "/" part; file order
    by_key: dict[str, tuple[int, ...]]
    sorted_keys: tuple[str, ...]  # the keys of by_key, sorted (prefix search by bisect)

    def __len__(self) -> int:
        return len(self.towns)

    def __repr__(self) -> str:
        return f"<Gazetteer of {len(self.towns)} comuni>"

    def search(self, text: str, limit: int = 8, cutoff: float = FUZZY_CUTOFF) -> list[Town]:
        """Suggestions as you type: exact, then prefix, then substring, then close matches.

        Same-named comuni are all listed (their labels name the province). "Name (PC)" keeps
        only that province. Never raises on odd input; an empty list when nothing is close.
        """
        name, province = _split_province(text)
        key = normalise(name)
        if not key or limit <= 0:
            return []
        found: list[int] = []
        for keys in self._suggested_keys(key, lambda: limit + len(found), cutoff):
            found.extend(self._new_towns(keys, province, found, limit))
            if len(found) >= limit:
                break
        return self._towns(found[:limit])

    def _new_towns(self, keys, province: str | None, found: list[int], limit: int):
        """Towns of these keys (in the province, if one is named) not found yet, up to limit."""
        new: list[int] = []
        for k in keys:
            for index in self.by_key[k]:
                if index in found or index in new:
                    continue
                if province and self.towns[index].province_code != province:
                    continue
                new.append(index)
                if len(found) + len(new) >= limit:
                    return new
        return new

    def _suggested_keys(self, key: str, wanted: Callable[[], int], cutoff: float):
        """Lists of keys in the order suggestions take them: the exact key, prefixes (shortest
        first), keys containing it (earliest first), then close matches."""
        yield [key] if key in self.by_key else []
        yield sorted((k for k in self._prefixed(key) if k != key), key=lambda k: (len(k), k))
        if len(key) >= 2:
            inside = [k for k in self.sorted_keys if key in k and not k.startswith(key)]
            yield sorted(inside, key=lambda k: (k.index(key), len(k), k))
        if len(key) >= 3:
            yield [k for _, k in self._close(key, wanted(), cutoff)]

    def find(self, text: str) -> Town | None:
        """The town meant by text: an exact (normalised) name, a single prefix match of 4+
        letters, or a single clear best close match; None otherwise.

        Same-named comuni: the first in ISTAT order, unless "Name (PC)" names the province.
        """
        name, province = _split_province(text)
        key = normalise(name)
        if not key:
            return None

        def first(k: str) -> Town | None:
            for index in self.by_key[k]:
                if not province or self.towns[index].province_code == province:
                    return self.towns[index]
            return None

        if key in self.by_key and (town := first(key)):
            return town
        if len(key) >= 4:
            prefixed = [k for k in self._prefixed(key) if first(k)]
            if len(prefixed) == 1:
                return first(prefixed[0])
        if len(key) >= 3:
            close = [(score, k) for score, k in self._close(key, 10, FIND_CUTOFF) if first(k)]
            if close and (len(close) == 1 or close[0][0] - close[1][0] >= CLEAR_LEAD):
                return first(close[0][1])
        return None

    def get(self, istat_code: str) -> Town | None:
        """The town with this ISTAT code (e.g. from a picked suggestion), or None."""
        for town in self.towns:
            if town.istat_code == istat_code:
                return town
        return None

    def _towns(self, indices: list[int]) -> list[Town]:
        return [self.towns[i] for i in indices]

    def _prefixed(self, key: str) -> list[str]:
        keys = self.sorted_keys
        start = bisect.bisect_left(keys, key)
        end = bisect.bisect_left(keys, key + "\U0010ffff", lo=start)
        return list(keys[start:end])

    def _close(self, key: str, n: int, cutoff: float) -> list[tuple[float, str]]:
        """Up to n keys with similarity >= cutoff, best first (ties: shorter, then a-z).

        The similarity is rapidfuzz's normalised Indel ratio (2 x common letters in order /
        total letters), scored against every key: no candidate is skipped.
        """
        hits = process.extract(
            key, self.sorted_keys, scorer=fuzz.ratio, score_cutoff=cutoff * 100, limit=None
        )
        scored = [(score / 100, candidate) for candidate, score, _ in hits]
        scored.sort(key=lambda item: (-item[0], len(item[1]), item[1]))
        return scored[:n]


def _split_province(text: str) -> tuple[str, str | None]:
    """'Castro (LE)' -> ('Castro', '075'); 'Castro (075)' likewise; no suffix -> (text, None).

    An unknown two-letter code is left in the name (so it is searched as typed).
    """
    text = text if isinstance(text, str) else ""
    match = _PROVINCE_SUFFIX.match(text)
    if not match:
        return text, None
    name, code = match.group(1), match.group(2)
    if code.isdigit():
        code = code.zfill(3)
        return (name, code) if code in PROVINCES else (text, None)
    code = _SIGLA_TO_CODE.get(code.upper())
    return (name, code) if code else (text, None)


def _repair_name(istat_code: str, name: str) -> str:
    if _C1_CONTROL.search(name):
        name = _C1_CONTROL.sub(lambda m: m.group().encode("latin-1").decode("cp1252"), name)
    broken, fixed = _NAME_FIXES.get(istat_code, (None, None))
    return fixed if name == broken else name


def load_gazetteer(path: Path | str) -> Gazetteer:
    """Read comuni.csv (istat_code,name,province_code,region,lat,lon) and index the names.

    Every field is read as text (one comune is called "None"); lat/lon are then parsed.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise GazetteerError(f"{path.name}: missing column(s) {missing}")
            rows = list(reader)
    except FileNotFoundError as err:
        raise GazetteerError(f"{path.name}: no such file ({path})") from err
    towns: list[Town] = []
    by_key: dict[str, list[int]] = {}  # full names
    part_of: dict[str, list[int]] = {}  # "Bozen" -> Bolzano/Bozen
    for line, row in enumerate(rows, start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError) as err:
            raise GazetteerError(f"{path.name}, line {line}: lat/lon must be numbers") from err
        if not row["name"] or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError(f"{path.name}, line {line}: a name and a lat/lon are needed")
        code = row["province_code"]
        name = _repair_name(row["istat_code"], row["name"])
        towns.append(Town(row["istat_code"], name, code, PROVINCES.get(code, code),
                          row["region"], lat, lon))  # fmt: skip
        full = normalise(name)
        by_key.setdefault(full, []).append(len(towns) - 1)
        for key in aliases(name) - {full}:
            part_of.setdefault(key, []).append(len(towns) - 1)
    for key, indices in part_of.items():  # "Corvara" is Corvara (PE) before Corvara in Badia
        by_key.setdefault(key, []).extend(indices)
    return Gazetteer(
        towns=tuple(towns),
        by_key={k: tuple(v) for k, v in by_key.items()},
        sorted_keys=tuple(sorted(by_key)),
    )


class LazyGazetteer:
    """The gazetteer read on its first use instead of at start (most pages never need it);
    then kept. Answers find() and search() as Gazetteer does; thread-safe. Only the file's
    presence is checked at start, so a missing file still fails at once."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError(f"{self.path.name}: no such file ({self.path})")
        self._loaded: Gazetteer | None = None
        self._lock = threading.Lock()

    def load(self) -> Gazetteer:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = load_gazetteer(self.path)
        return self._loaded

    def find(self, text: str) -> Town | None:
        return self.load().find(text)

    def search(self, text: str, limit: int = 8, cutoff: float = FUZZY_CUTOFF) -> list[Town]:
        return self.load().search(text, limit, cutoff)

    def __repr__(self) -> str:
        state = "loaded" if self._loaded is not None else "not read yet"
        return f"<LazyGazetteer {self.path.name}, {state}>"

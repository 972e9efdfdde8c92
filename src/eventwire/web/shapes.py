"""Country outlines for the map, read from the Natural Earth file that pyogrio ships.

The map must work offline, so its base layer comes from a package that is
installed anyway: pyogrio carries Natural Earth's low-resolution countries
(177 of them) as a test fixture. We read that shapefile ourselves — a
``.shp`` of polygons and a ``.dbf`` of attributes are simple binary formats —
rather than import pyogrio, whose GDAL library is large and slow to load for
what is a few hundred kilobytes of outlines.

The GeoJSON is built once per process (coordinates rounded to 0.01°,
repeated points dropped) and handed out as bytes.
"""
from __future__ import annotations

import importlib.util
import json
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.errors import ConfigError

FIXTURE = Path("tests", "fixtures", "naturalearth_lowres", "naturalearth_lowres")
DECIMALS = 2  # 0.01° is about 1 km: finer than a world map can show
_POLYGON = 5
_NULL = 0
# Natural Earth writes -99 where a country's ISO code is disputed or was missing in its
# source; these three have the codes eventwire's own gazetteer (data/countries.tsv) uses.
MISSING_ISO = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}

Ring = list[tuple[float, float]]


@dataclass
class Shape:
    """One country: its attributes and its polygons (each an outer ring, then its holes)."""

    properties: dict[str, Any]
    polygons: list[list[Ring]] = field(default_factory=list)

    def feature(self) -> dict[str, Any]:
        """The GeoJSON Feature: a Polygon when there is one, else a MultiPolygon."""
        coords = [[[list(p) for p in ring] for ring in poly] for poly in self.polygons]
        geometry: dict[str, Any] | None
        if not coords:
            geometry = None
        elif len(coords) == 1:
            geometry = {"type": "Polygon", "coordinates": coords[0]}
        else:
            geometry = {"type": "MultiPolygon", "coordinates": coords}
        return {"type": "Feature", "properties": self.properties, "geometry": geometry}


def shapefile_base() -> Path:
    """Where pyogrio's Natural Earth file lies (without the extension), found without importing it."""
    spec = importlib.util.find_spec("pyogrio")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        base = Path(location) / FIXTURE
        if base.with_suffix(".shp").is_file() and base.with_suffix(".dbf").is_file():
            return base
    where = ", ".join(locations) or "nowhere (pyogrio is not installed)"
    raise ConfigError(
        f"the country shapes for the map were not found (looked for {FIXTURE}.shp in {where})",
        hint="install eventwire's dependencies (pyogrio==0.13.0 ships the Natural Earth file): "
             "pip install -e .")


def countries_geojson() -> bytes:
    """The countries as a GeoJSON FeatureCollection (UTF-8 bytes), built once per process."""
    return _cached_geojson(shapefile_base())


@lru_cache(maxsize=2)
def _cached_geojson(base: Path) -> bytes:
    shapes = read_shapes(base)
    collection = {"type": "FeatureCollection", "features": [s.feature() for s in shapes]}
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def read_shapes(base: Path) -> list[Shape]:
    """Every record of ``base.shp`` with its ``base.dbf`` attributes, in file order."""
    try:
        geometries = read_shp(base.with_suffix(".shp").read_bytes())
        encoding = _codepage(base.with_suffix(".cpg"))
        rows = read_dbf(base.with_suffix(".dbf").read_bytes(), encoding)
    except (OSError, struct.error, ValueError) as exc:
        raise ConfigError(f"the country shapes in {base}.shp cannot be read: {exc}",
                          hint="reinstall pyogrio==0.13.0 (pip install --force-reinstall "
                               "pyogrio==0.13.0)") from exc
    if len(geometries) != len(rows):
        raise ConfigError(f"{base}.shp has {len(geometries)} shapes but its .dbf has "
                          f"{len(rows)} rows", hint="reinstall pyogrio==0.13.0")
    return [Shape(_properties(row), polygons) for row, polygons in zip(rows, geometries)]


def read_shp(data: bytes) -> list[list[list[Ring]]]:
    """The polygons of each record of a polygon shapefile (type 5).

    Layout (ESRI whitepaper): a 100-byte header, then records of an 8-byte
    big-endian header and a little-endian body: type, bounding box, part and
    point counts, part starts, points.
    """
    if len(data) < 100 or struct.unpack(">i", data[:4])[0] != 9994:
        raise ValueError("not a shapefile (bad file code)")
    shape_type = struct.unpack("<i", data[32:36])[0]
    if shape_type != _POLYGON:
        raise ValueError(f"shape type {shape_type} is not polygon (5)")
    out: list[list[list[Ring]]] = []
    pos = 100
    while pos + 8 <= len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + 2 * words]
        out.append(_polygons(body))
        pos += 8 + 2 * words
    return out


def _polygons(body: bytes) -> list[list[Ring]]:
    """One record's rings, grouped as polygons: each outer ring with the holes inside it."""
    shape_type = struct.unpack("<i", body[:4])[0]
    if shape_type == _NULL:
        return []
    if shape_type != _POLYGON:
        raise ValueError(f"record of shape type {shape_type} in a polygon file")
    n_parts, n_points = struct.unpack("<ii", body[36:44])
    starts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts]))
    offset = 44 + 4 * n_parts
    flat = struct.unpack(f"<{2 * n_points}d", body[offset:offset + 16 * n_points])
    points = list(zip(flat[0::2], flat[1::2]))
    rings = [points[a:b] for a, b in zip(starts, starts[1:] + [n_points])]
    return _group_rings([r for r in (_simplify(r) for r in rings) if len(r) >= 4])


def _group_rings(rings: list[Ring]) -> list[list[Ring]]:
    """Outer rings (clockwise in shapefiles) each with the holes (counter-clockwise) they contain.

    GeoJSON wants outer rings counter-clockwise and holes clockwise (RFC 7946),
    so each ring is reversed on the way.
    """
    outers = [[r[::-1]] for r in rings if _signed_area(r) < 0]
    holes = [r[::-1] for r in rings if _signed_area(r) >= 0]
    if not outers:  # wound the other way round: take every ring as an outer one
        return [[r] for r in holes]
    for hole in holes:
        home = next((poly for poly in outers if _inside(hole[0], poly[0])), outers[0])
        home.append(hole)
    return outers


def _simplify(ring: Ring) -> Ring:
    """The ring rounded to ``DECIMALS``, without points that repeat the one before."""
    out: Ring = []
    for x, y in ring:
        point = (round(x, DECIMALS), round(y, DECIMALS))
        if not out or point != out[-1]:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _signed_area(ring: Ring) -> float:
    """Twice the signed area (shoelace): positive when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))


def _inside(point: tuple[float, float], ring: Ring) -> bool:
    """Whether ``point`` lies inside ``ring`` (even-odd ray casting)."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def read_dbf(data: bytes, encoding: str = "latin-1") -> list[dict[str, Any]]:
    """The rows of a dBASE III table: character fields as text, numeric ones as numbers."""
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, str, int]] = []
    pos = 32
    while pos < header_len - 1 and data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0", 1)[0].decode("ascii", "replace")
        kind = chr(data[pos + 11])
        fields.append((name, kind, data[pos + 16]))
        pos += 32
    rows: list[dict[str, Any]] = []
    for i in range(n_records):
        record = data[header_len + i * record_len:header_len + (i + 1) * record_len]
        if not record or record[:1] == b"*":  # deleted
            continue
        row: dict[str, Any] = {}
        at = 1
        for name, kind, size in fields:
            raw = record[at:at + size].decode(encoding, "replace").strip()
            row[name] = _value(raw, kind)
            at += size
        rows.append(row)
    return rows


def _value(raw: str, kind: str) -> Any:
    if kind in ("N", "F"):
        try:
            number = float(raw)
        except ValueError:
            return None
        return int(number) if number.is_integer() else number
    return raw or None


def _codepage(path: Path) -> str:
    """The text encoding the ``.cpg`` file names; Latin-1 when it is absent or unknown."""
    try:
        name = path.read_text(encoding="ascii").strip()
        "".encode(name)
        return name
    except (OSError, LookupError, UnicodeDecodeError):
        return "latin-1"


def _properties(row: dict[str, Any]) -> dict[str, Any]:
    """The attributes the map shows: name, ISO code (None where it has none), continent."""
    name, iso = row.get("name"), row.get("iso_a3")
    if not iso or iso == "-99":
        iso = MISSING_ISO.get(name or "")
    return {"name": name, "iso_a3": iso, "continent": row.get("continent")}

"""CSV tables: ``changes.csv`` (one row per change, as :attr:`mapper.timeline.Step.rows`) and ``events.csv``.

Both go through :func:`_table`, the one place that encodes cells (quoted by the csv module).
"""
from __future__ import annotations

import io

from mapper import csvsafe
from mapper.exports.records import CHANGE_COLUMNS, change_row
from mapper.model import Atlas
from mapper.timeline import steps

__all__ = ["changes_csv", "events_csv"]


def _table(header, rows) -> str:
    buf = io.StringIO()
    w = csvsafe.writer(buf, lineterminator="\n")  # formula-like cells prefixed (issue 15)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def changes_csv(atlas: Atlas) -> str:
    """Return ``changes.csv``: every change of every step (units, then occupation zones), names as on the event's date.

    Columns: ``event, unit, kind, from, to, from_name, to_name, km2, counted, certainty, note``; ``counted``
    is ``true`` for the rows that enter Persia's loss to Russia, ``certainty`` is ``high``, ``medium`` or
    ``low``, and ``note`` says why when it is not high (or anything else the data notes about the change).
    """
    return _table(CHANGE_COLUMNS, ([change_row(c)[k] for k in CHANGE_COLUMNS] for st in steps(atlas) for c in st.rows))


def events_csv(atlas: Atlas) -> str:
    """Return the events table as CSV (one row per event)."""
    header = ["id", "date", "date_precision", "date_os", "date_certainty", "title", "kind", "place",
              "parties", "summary", "sources", "units_changed", "zones_begun", "zones_ended"]
    rows = []
    for st in steps(atlas):
        e = st.event
        rows.append([e.id, e.date.iso, e.date.precision, e.date_os.isoformat() if e.date_os else "", e.date_certainty,
                     e.title, e.kind, e.place or "", "; ".join(e.parties), e.summary,
                     "; ".join(s.title + (f" <{s.url}>" if s.url else "") for s in e.sources),
                     " ".join(dict.fromkeys(c.unit for c in st.transfers)), " ".join(st.zones_begun),
                     " ".join(st.zones_ended)])
    return _table(header, rows)

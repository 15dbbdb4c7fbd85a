"""Open the atlas's QGIS project with real QGIS (PyQGIS, headless) and report what QGIS sees, as JSON.

Run by tests/test_qgis.py with the system Python that has the ``qgis`` module (Debian's
python3-qgis), not the project's: ``QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_probe.py
PROJECT.qgs DATE,DATE,... [PNG RENDER-DATE]``. For each date it asks each temporal layer which features its
temporal filter keeps for that day, as QGIS's temporal controller does; with PNG it renders the
project on RENDER-DATE.
"""
from __future__ import annotations

import json
import sys

from qgis.core import (QgsApplication, QgsDateTimeRange, QgsExpression, QgsExpressionContext,
                       QgsExpressionContextUtils, QgsFeatureRequest, QgsMapRendererParallelJob, QgsMapSettings,
                       QgsProject, QgsVectorLayer, QgsVectorLayerTemporalContext)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, Qt, QTime


def _day(iso: str) -> QgsDateTimeRange:
    y, m, d = (int(x) for x in iso.split("-"))
    start = QDateTime(QDate(y, m, d), QTime(0, 0), Qt.UTC)
    return QgsDateTimeRange(start, start.addDays(1), True, False)


def main() -> None:
    project_path, dates = sys.argv[1], sys.argv[2].split(",")
    png = sys.argv[3] if len(sys.argv) > 3 else None
    render_date = sys.argv[4] if len(sys.argv) > 4 else dates[-1]
    app = QgsApplication([], png is not None)
    app.initQgis()
    project = QgsProject.instance()
    ok = project.read(project_path)
    report: dict = {"read": ok, "crs_valid": project.crs().isValid(), "layers": {}, "at": {}}
    ts = project.timeSettings()
    rng = ts.temporalRange()
    report["time"] = {"start": rng.begin().toString(Qt.ISODate), "end": rng.end().toString(Qt.ISODate),
                      "step": ts.timeStep(), "unit": int(ts.timeStepUnit()), "fps": ts.framesPerSecond()}
    report["navigation_mode"] = project.readNumEntry("TemporalControllerWidget", "/NavigationMode", -1)[0]
    layers = {}
    for lid, layer in project.mapLayers().items():
        src = layer.source().split("layername=")[-1]
        tp = layer.temporalProperties()
        report["layers"][src] = {"valid": layer.isValid(), "name": layer.name(), "features": layer.featureCount(),
                                 "renderer": layer.renderer().type(), "labels": layer.labelsEnabled(),
                                 "temporal": tp.isActive(), "mode": int(tp.mode()), "start": tp.startField(),
                                 "end": tp.endField(), "limit": int(tp.limitMode()),
                                 "rules": [r.label() for r in layer.renderer().rootRule().children()]
                                 if layer.renderer().type() == "RuleRenderer" else []}
        layers[src] = layer
    context = QgsVectorLayerTemporalContext()
    for iso in dates:
        at: dict = {}
        for src in ("unit_periods", "zone_periods", "places"):
            layer: QgsVectorLayer = layers[src]
            context.setLayer(layer)
            expr = layer.temporalProperties().createFilterString(context, _day(iso))
            feats = layer.getFeatures(QgsFeatureRequest().setFilterExpression(expr))
            key = {"unit_periods": "unit_id", "zone_periods": "zone_id", "places": "place_id"}[src]
            if src == "unit_periods":
                at[src] = {}
                for f in feats:
                    at[src].setdefault(f[key], []).append(f["holder"])
            else:
                at[src] = sorted(f[key] for f in feats)
        # the places' first rule (capitals) as the renderer evaluates it on a map of that day
        places = layers["places"]
        settings = QgsMapSettings()
        settings.setIsTemporal(True)
        settings.setTemporalRange(_day(iso))
        ctx = QgsExpressionContext()
        ctx.appendScope(QgsExpressionContextUtils.globalScope())
        ctx.appendScope(QgsExpressionContextUtils.mapSettingsScope(settings))
        ctx.appendScope(QgsExpressionContextUtils.layerScope(places))
        rule = QgsExpression(places.renderer().rootRule().children()[0].filterExpression())
        rule.prepare(ctx)
        capitals = []
        for f in places.getFeatures():
            ctx.setFeature(f)
            if rule.evaluate(ctx):
                capitals.append(f["place_id"])
        at["capitals"] = sorted(capitals)
        at["capital_rule_error"] = rule.evalErrorString()
        report["at"][iso] = at
    if png:
        settings = QgsMapSettings()
        order = [layers[src] for src in ("places", "zone_periods", "unit_periods", "countries")]
        settings.setLayers(order)
        settings.setDestinationCrs(project.crs())
        settings.setBackgroundColor(project.backgroundColor())
        canvas_extent = project.viewSettings().defaultViewExtent()
        settings.setExtent(canvas_extent if not canvas_extent.isEmpty() else order[2].extent())
        settings.setOutputSize(QSize(1400, 1100))
        settings.setIsTemporal(True)
        settings.setTemporalRange(_day(render_date))
        render_ctx = QgsExpressionContext()  # as the map canvas gives it: @map_start_time for the styles
        render_ctx.appendScope(QgsExpressionContextUtils.globalScope())
        render_ctx.appendScope(QgsExpressionContextUtils.projectScope(project))
        render_ctx.appendScope(QgsExpressionContextUtils.mapSettingsScope(settings))
        settings.setExpressionContext(render_ctx)
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        report["png_saved"] = job.renderedImage().save(png, "PNG")
    print(json.dumps(report))
    app.exitQgis()


if __name__ == "__main__":
    main()

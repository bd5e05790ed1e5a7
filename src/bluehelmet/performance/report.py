"""The mission case-study report, as one self-contained HTML file and a PDF: mandate and
story in figures, the deployment map, the timeline of troops against civilian killings,
the results framework, the effect estimates with their reading, and the lessons.

Everything is read through the same scoped functions as the pages, for the user who asked
(the command line reads as a superuser would)."""

from __future__ import annotations

import base64
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bluehelmet.analytics.effects.event_study import EventStudyResult
from bluehelmet.analytics.effects.plots import event_study_figure, figure_bytes
from bluehelmet.core.missions import mission_areas
from bluehelmet.core.models import Mission, Place
from bluehelmet.core.months import add_months
from bluehelmet.datasets.queries import deployments_for
from bluehelmet.forces.timeline import mission_timeline, timeline_caption

from . import figures
from .comparison import mission_comparison
from .effects import compute_mission_effects, readings, visible_estimates
from .lessons import visible_lessons
from .models import EffectEstimate, Report
from .results import compute_mission_indicators, framework

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
TIMELINE_MONTHS_AFTER = 12
STATUS_COLOURS = {"green": (46, 125, 50), "amber": (237, 108, 2), "red": (198, 40, 40), "grey": (140, 140, 140)}


@dataclass(frozen=True)
class CommandLineReader:
    """The reader behind `bluehelmet report`: the server's operator, who sees everything."""

    is_authenticated: bool = True
    is_superuser: bool = True
    pk: None = None


@dataclass
class Figure:
    caption: str
    svg: bytes
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def _figure(matplotlib_figure, caption: str) -> Figure:
    png = io.BytesIO()
    matplotlib_figure.savefig(png, format="png", bbox_inches="tight", dpi=150)
    return Figure(caption=caption, svg=figure_bytes(matplotlib_figure, "svg"), png=png.getvalue())


def _map_figure(user, mission: Mission) -> tuple[Figure | None, dict]:
    rows = (
        deployments_for(user, mission)
        .values("site__name", "site__latitude", "site__longitude")
        .annotate(troops=Max("troops"))
        .order_by("site__name")
    )
    sites = [
        {
            "name": r["site__name"],
            "latitude": r["site__latitude"],
            "longitude": r["site__longitude"],
            "troops": r["troops"],
        }
        for r in rows
        if r["site__latitude"] is not None
    ]
    facts = {"sites": len(sites), "maps": deployments_for(user, mission).values("month").distinct().count()}
    if not sites:
        return None, facts
    areas = mission_areas(user, mission)
    for kind in (Place.Kind.ADM2, Place.Kind.ADM1, Place.Kind.COUNTRY):
        chosen = [{"name": a.name, "geometry": a.map_geometry} for a in areas if a.kind == kind]
        if chosen:
            break
    figure = figures.deployment_map(
        chosen,
        sites,
        title=_("%(mission)s deployment sites, sized by their largest reported troop strength")
        % {"mission": mission.acronym},
        size_label=_("site (area ~ troops)"),
        unknown_label=_("site, troops unknown"),
    )
    caption = _("%(sites)s sites on %(maps)s deployment maps (Geo-PKO)%(areas)s.") % {
        "sites": facts["sites"],
        "maps": facts["maps"],
        "areas": (" " + _("over the %(n)s districts") % {"n": len(chosen)}) if chosen else "",
    }
    return _figure(figure, caption), facts


def _timeline_figure(timeline: dict, mission: Mission) -> Figure | None:
    series = timeline["series"]
    killings_key = "civilians_killed" if "civilians_killed" in series else "ged_civilian_deaths"
    if "troops" not in series or killings_key not in series:
        return None
    months = [datetime.date.fromisoformat(m + "-01") for m in timeline["months"]]
    # The country's series runs on after the mission (its successors): stop a year after it.
    keep = len(months)
    if mission.end:
        keep = sum(1 for m in months if m <= add_months(mission.end, TIMELINE_MONTHS_AFTER))
    months = months[:keep]
    series = {name: values[:keep] for name, values in series.items()}
    span = (mission.start, mission.end or months[-1]) if mission.start else None
    figure = figures.timeline(
        months,
        series["troops"],
        series[killings_key],
        title=_("UN troops and civilians killed per month"),
        troops_label=_("UN troops"),
        killings_label=_("Civilians killed") if killings_key == "civilians_killed" else _("Civilian deaths (GED)"),
        mission_span=span,
    )
    source = (
        _("Hultman, Kathman & Shannon (2013) conflict months")
        if killings_key == "civilians_killed"
        else _("UCDP GED events")
    )
    caption = _(
        "Troops: monthly UN contribution reports, every mission in the country. Civilians killed: %(source)s. Shaded: %(mission)s's mandate period."
    ) % {"source": source, "mission": mission.acronym}
    return _figure(figure, caption)


def _event_study_figure(estimate: EffectEstimate) -> Figure | None:
    if estimate.kind != EffectEstimate.Kind.BASE_OPENINGS or not estimate.result:
        return None
    fields = set(EventStudyResult.__dataclass_fields__)
    result = EventStudyResult(**{k: v for k, v in estimate.result.items() if k in fields})
    figure = event_study_figure(
        result,
        title=_("GED events per cell and month, by months since a base opened"),
        y_label=_("Effect on events per month"),
        x_label=_("Months since the base opened (-1 = reference)"),
    )
    return _figure(figure, _("Callaway & Sant'Anna event study; shaded: 95% bootstrap interval."))


def _estimate_entry(estimate: EffectEstimate) -> dict:
    entry = {
        "estimate": estimate,
        "title": estimate.get_kind_display(),
        "problem": estimate.problem_text,
        "readings": readings(estimate),
        "table": [],
        "model": None,
    }
    if estimate.result and "models" in estimate.result:
        model = estimate.result["models"]["negbin"]
        entry["model"] = model
        entry["table"] = model["coefficients"] + ([model["alpha"]] if model.get("alpha") else [])
    entry["figure"] = _event_study_figure(estimate)
    return entry


def report_context(mission: Mission, user) -> dict:
    """Everything the report shows, computed fresh from the data the user may see."""
    place = ", ".join(c.name for c in mission.host_countries.all()) or mission.acronym
    timeline = mission_timeline(mission, user)
    map_figure, deployment_facts = _map_figure(user, mission)
    rows = [
        row
        for objective in framework(user, mission)
        for outcome in objective["outcomes"]
        for output in outcome["outputs"]
        for row in output["rows"]
    ]
    return {
        "mission": mission,
        "place": place,
        "generated": timezone.now(),
        "caption": timeline_caption(timeline, place),
        "map_figure": map_figure,
        "deployment_facts": deployment_facts,
        "timeline_figure": _timeline_figure(timeline, mission),
        "indicator_rows": rows,
        "estimates": [_estimate_entry(e) for e in visible_estimates(user, mission)],
        "comparison": mission_comparison(user, mission),
        "lessons": list(visible_lessons(user).filter(mission=mission).order_by("date")),
        "caveats": data_caveats(),
    }


def render_html(context: dict) -> str:
    return render_to_string("performance/report.html", context)


# --- PDF ---------------------------------------------------------------------------------------


class ReportPDF(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.report_title = title
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"{self.report_title} · {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 13):
        # Never leave a heading alone at the foot of a page.
        if self.get_y() > self.h - 55:
            self.add_page()
        self.ln(3)
        self.set_font("DejaVu", "B", size)
        self.set_text_color(31, 95, 168)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def paragraph(self, text: str, size: float = 9.5, style: str = "", colour=(0, 0, 0)):
        self.set_font("DejaVu", style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def figure(self, figure: Figure | None, width: float = 174):
        if figure is None:
            return
        self.image(io.BytesIO(figure.png), w=width, x=(self.w - width) / 2)
        self.paragraph(figure.caption, size=7.5, style="I", colour=(90, 90, 90))


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return number_format(round(value, digits), decimal_pos=digits if value != round(value) else 0, force_grouping=True)


def render_pdf(context: dict) -> bytes:
    mission = context["mission"]
    title = _("%(mission)s performance and impact report") % {"mission": mission.acronym}
    pdf = ReportPDF(title)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.set_text_color(31, 95, 168)
    pdf.multi_cell(0, 9, f"{mission.acronym}: {mission.name}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    span = f"{date_format(mission.start, 'YEAR_MONTH_FORMAT') if mission.start else '?'} – {date_format(mission.end, 'YEAR_MONTH_FORMAT') if mission.end else _('present')}"
    pdf.paragraph(f"{_('Performance and impact report')} · {context['place']} · {span}", size=10.5)
    pdf.paragraph(
        _("Generated by Blue Helmet on %(date)s from the data it holds.")
        % {"date": date_format(context["generated"], "DATE_FORMAT")},
        size=8,
        colour=(90, 90, 90),
    )
    if mission.mandate:
        pdf.heading(_("Mandate"), 12)
        pdf.paragraph(mission.mandate)
    pdf.heading(_("The story in figures"), 12)
    pdf.paragraph(context["caption"] or _("No monthly figures for the host countries."))
    pdf.figure(context["timeline_figure"])
    pdf.figure(context["map_figure"], width=150)

    pdf.heading(_("Results framework"), 12)
    rows = context["indicator_rows"]
    if rows:
        pdf.set_font("DejaVu", "", 7.5)
        with pdf.table(
            col_widths=(12, 62, 20, 18, 18, 18, 26),
            text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
            line_height=4.2,
            first_row_as_headings=True,
        ) as table:
            table.row(
                [_("Code"), _("Indicator"), _("Latest period"), _("Value"), _("Baseline"), _("Target"), _("Status")]
            )
            for row in rows:
                latest = row.latest
                cells = table.row()
                cells.cell(row.indicator.code)
                cells.cell(row.indicator.name + (f" ({row.indicator.unit})" if row.indicator.unit else ""))
                cells.cell(latest.period.strftime("%Y-%m") if latest else "—")
                cells.cell(_number(latest.value) if latest and latest.value is not None else _("no data"))
                cells.cell(_number(row.indicator.baseline))
                cells.cell(_number(row.indicator.target))
                pdf.set_text_color(*STATUS_COLOURS[row.status])
                cells.cell(_status_label(row.status))
                pdf.set_text_color(0, 0, 0)
        for row in rows:
            if row.latest is not None and row.latest.value is None and row.latest.no_data_reason:
                pdf.paragraph(
                    f"{row.indicator.code}: {_('no data')}: {row.latest.no_data_reason}", size=7.5, colour=(90, 90, 90)
                )
            if row.assessment:
                pdf.paragraph(f"{row.indicator.code} — {_('assessment')}: {row.assessment.text}", size=8)
    else:
        pdf.paragraph(_("No indicators are defined for this mission yet."))

    pdf.heading(_("Effect of the deployment on violence"), 12)
    for entry in context["estimates"]:
        pdf.paragraph(entry["title"], size=10, style="B")
        if entry["problem"]:
            pdf.paragraph(_("Not estimated: %(why)s.") % {"why": entry["problem"]}, colour=(90, 90, 90))
            continue
        for sentence in entry["readings"]:
            pdf.paragraph(sentence)
        if entry["table"]:
            model = entry["model"]
            pdf.set_font("DejaVu", "", 7.5)
            with pdf.table(
                col_widths=(40, 22, 22, 18, 36),
                text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
                line_height=4.2,
            ) as table:
                table.row([_("Term"), _("Estimate"), _("Std. error"), _("p"), _("Interval (95%)")])
                for c in entry["table"]:
                    table.row(
                        [
                            c["term"],
                            f"{c['estimate']:.3f}",
                            f"{c['std_error']:.3f}",
                            f"{c['p_value']:.3f}",
                            f"{c['ci_low']:.3f} to {c['ci_high']:.3f}",
                        ]
                    )
            pdf.paragraph(
                _("Negative binomial; %(n)s observations; %(cov)s standard errors; log-likelihood %(ll).1f.")
                % {"n": model["n_obs"], "cov": model["covariance"], "ll": model["log_likelihood"]},
                size=7.5,
                style="I",
                colour=(90, 90, 90),
            )
        pdf.figure(entry["figure"])

    _comparison_pdf(pdf, context["comparison"])

    pdf.heading(_("Lessons learned"), 12)
    if not context["lessons"]:
        pdf.paragraph(_("No lessons recorded for this mission yet."))
    for lesson in context["lessons"]:
        label = f"{lesson.date:%Y-%m-%d} · {lesson.get_theme_display()}"
        if lesson.exercise:
            label += " · " + _("exercise data").upper()
        pdf.paragraph(lesson.title, size=10, style="B")
        pdf.paragraph(label, size=7.5, colour=(90, 90, 90))
        pdf.paragraph(f"{_('Observation')}: {lesson.observation}", size=8.5)
        pdf.paragraph(f"{_('Lesson')}: {lesson.lesson}", size=8.5)
        if lesson.recommendation:
            pdf.paragraph(f"{_('Recommendation')}: {lesson.recommendation}", size=8.5)
        if lesson.sources:
            pdf.paragraph(f"{_('Sources')}: {lesson.sources}", size=7.5, style="I", colour=(90, 90, 90))

    pdf.heading(_("Data and caveats"), 12)
    pdf.paragraph(data_caveats(), size=8)
    return bytes(pdf.output())


def _comparison_pdf(pdf: ReportPDF, comparison: dict) -> None:
    """The missions-compared section: the aligned figures and the table of countries."""
    pdf.heading(_("Missions compared"), 12)
    if not comparison["cases"]:
        pdf.paragraph(_("No conflict months are loaded."))
        return
    pdf.paragraph(
        _("%(n)s countries with a civil conflict in Africa, 1991-2008; %(deployed)s of them had UN troops.")
        % {"n": comparison["countries"], "deployed": comparison["deployed"]}
    )
    for figure in comparison["figures"]:
        pdf.figure(figure)
    pdf.set_font("DejaVu", "", 6.5)
    with pdf.table(
        col_widths=(26, 26, 16, 16, 16, 18, 18, 14, 14),
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=3.6,
        first_row_as_headings=True,
    ) as table:
        table.row(
            [
                _("Country"),
                _("UN missions"),
                _("First month with UN troops"),
                _("Troops per 1,000 people at the peak"),
                _("Months to the first violence-free quarter"),
                _("Civilians killed per month, year before"),
                _("Civilians killed per month, second year"),
                _("Ceasefire in force (share of months with troops)"),
                _("Robust mandate (share)"),
            ]
        )
        for case in comparison["cases"]:
            s = case["summary"]
            if s.deployment_period is None:
                continue
            share = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
            table.row(
                [
                    ("» " if case["highlighted"] else "") + s.country,
                    ", ".join(s.missions),
                    case["deployment_month"],
                    _number(s.troops_per_1000_at_peak, 2),
                    "—" if s.months_to_violence_free_quarter is None else str(s.months_to_violence_free_quarter),
                    _number(s.killings_year_before),
                    _number(s.killings_second_year),
                    share(s.ceasefire_share),
                    share(s.robust_mandate_share),
                ]
            )
    pdf.paragraph(
        _("Countries with UN troops only; » marks this mission's host country. Source: %(source)s.")
        % {"source": comparison["source"]},
        size=7.5,
        style="I",
        colour=(90, 90, 90),
    )


def _status_label(status: str) -> str:
    return {
        "green": _("on target"),
        "amber": _("improving, short of target"),
        "red": _("no better than baseline"),
        "grey": _("not judged"),
    }[status]


def data_caveats() -> str:
    return _(
        "Personnel: monthly UN contribution reports (Kathman 2013). Civilians killed: Hultman, Kathman & Shannon (2013) "
        "conflict months; conflict events: UCDP GED. Deployment sites: Geo-PKO. The regressions show associations in one "
        "mission's data, not proof of cause: troops went where and when violence was expected, and a single country "
        "gives few months with killings. Values marked 'no data' are unknown, not zero."
    )


def write_report(mission: Mission, user, directory: Path, *, refresh: bool = True) -> tuple[Path, Path]:
    """Compute indicators and effects afresh (unless told not to), then write
    <ACRONYM>-report.html and .pdf into `directory`."""
    if refresh:
        compute_mission_indicators(mission)
        compute_mission_effects(mission)
    context = report_context(mission, user)
    directory.mkdir(parents=True, exist_ok=True)
    html_path = directory / f"{mission.acronym}-report.html"
    pdf_path = directory / f"{mission.acronym}-report.pdf"
    html_path.write_text(render_html(context), encoding="utf-8")
    pdf_path.write_bytes(render_pdf(context))
    return html_path, pdf_path


def write_report_files(report: Report) -> tuple[Path, Path]:
    directory = Path(settings.MEDIA_ROOT) / "reports" / report.mission.acronym / str(report.pk)
    with translation.override(report.language):
        return write_report(report.mission, report.actor, directory)

"""The progress bulletin (通报) as a Word file, written from the dashboards' figures.

figures   what it reads, once (`bulletin_figures`)
text      its sentences, each built from those figures
document  the Word file: body, charts (dashboards.charts), attachments (`bulletin_docx`)
tables    the attachments' tables, written as XML rows and parsed into the document
word      page set-up, fonts, paragraphs, pictures and the file, through python-docx
"""

from dashboards.bulletin.document import bulletin_docx
from dashboards.bulletin.figures import Figures, bulletin_figures, pct, points
from dashboards.bulletin.text import overall_text, reporting_text, requirements_text, units_text

__all__ = [
    "Figures",
    "bulletin_docx",
    "bulletin_figures",
    "overall_text",
    "pct",
    "points",
    "reporting_text",
    "requirements_text",
    "units_text",
]

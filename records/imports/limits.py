"""How much an imported spreadsheet may hold (SECURITY.md, *Excel import*; docs/security.md).

The figures bound the work and memory of one upload, not just its size on disk: a 300 KB xlsx
can describe a million rows, and one shared string can be repeated in every cell. They are
counted before a parser builds anything (records/imports/scan.py for xlsx, the csv reader in
files.py), so a file beyond them is refused within seconds, under 200 MB of extra memory.
"""

MAX_ROWS = 10_000
MAX_COLUMNS = 200
# Rows above the header a template may carry (title, unit line) and trailing blank rows a
# sheet may keep before we stop reading; beyond that a sheet is refused, not parsed.
MAX_SHEET_ROWS = MAX_ROWS + 1_000
# Cells holding something. Not rows × columns (2,000,000): a filled cell costs calamine and
# Python about 240 bytes, so 300,000 (10,000 rows of 30 filled columns; the 2022 plan's
# widest form has 12 fields) keeps a full sheet near 150 MB with the text below.
MAX_CELLS = 300_000
# Characters in those cells (500 a row), a shared string counted each time a cell uses it;
# also the characters of the shared-strings table itself, which calamine holds whole.
MAX_TEXT = 5_000_000
# XML elements of any kind in one scanned part (empty rows and cells included): bounds the
# time a scan and calamine spend on a part that holds nothing worth reading.
MAX_XML_ELEMENTS = 2_000_000
# Elements open inside one another: a worksheet needs about ten; each open one costs the
# parsers memory, so two million nested elements are 240 MB.
MAX_XML_DEPTH = 64
# Markup the XML parser may hold unfinished (one tag, comment or processing instruction):
# Excel writes none longer than a few KB; a 90 MB attribute would be held whole.
MAX_XML_PENDING = 1024 * 1024
# Parts calamine reads whole when it opens a workbook (workbook.xml, styles.xml, the
# relationship parts): a million number formats are 200 MB in memory.
MAX_WHOLE_PART_BYTES = 10 * 1024 * 1024
# Sheets a workbook read sheet by sheet (a form definition, records/formsheet) may list: the
# reader looks up a few by name; a workbook.xml naming thousands is refused unread.
MAX_SHEETS = 64
# csv: characters in one record (a quoted field may span lines) and records in one file,
# blank ones included, so a line of 20 million commas or of newlines is refused unread.
MAX_CSV_RECORD_CHARS = 100_000
MAX_CSV_RECORDS = 100_000

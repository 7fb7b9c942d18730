"""Reading a notice: the same blocks from pasted text and from a Word file."""

import io

import docx
import pytest

from drafting.notice import NoticeUnreadable, Paragraph, Table, read_notice, read_text


def test_a_sentence_cut_by_a_page_break_is_joined_again():
    notice = read_text(
        "1. 安排部署。4月份，联合市发展改革委下发《关于开展重点\n\n工程建设竞赛的通知》。"
    )
    assert [b.text for b in notice.paragraphs] == [
        "1. 安排部署。4月份，联合市发展改革委下发《关于开展重点工程建设竞赛的通知》。"
    ]


def test_a_title_line_is_not_joined_to_the_next_heading():
    notice = read_text("平顶山市总工会\n\n一、建功新时代主力军行动专案\n")
    assert [b.text for b in notice.paragraphs] == ["平顶山市总工会", "一、建功新时代主力军行动专案"]


def test_lines_with_tabs_are_the_rows_of_one_table():
    notice = read_text("任务分解表\n单 位\t数量\n叶 县\t3\n合 计\t3\n\n说明。")
    table = next(b for b in notice.blocks if isinstance(b, Table))
    assert table.texts() == [["单位", "数量"], ["叶县", "3"], ["合计", "3"]]
    assert isinstance(notice.blocks[-1], Paragraph)


def test_typesetting_spaces_between_chinese_characters_are_removed():
    notice = read_text("组织 750 名以上劳模，4 月底前完成。")
    assert notice.paragraphs[0].text == "组织750名以上劳模，4月底前完成。"


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_gives_paragraphs_and_tables_in_order_with_merged_cells_marked():
    def build(document):
        document.add_paragraph("一、送温暖专案")
        table = document.add_table(rows=3, cols=3)
        for r, row in enumerate(
            [["单位", "资金", "户数"], ["帮扶中心", "高新区", "5"], ["", "轻纺工会", "4"]]
        ):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        table.cell(1, 0).merge(table.cell(2, 0))
        document.add_paragraph("二、绿色出行专案")

    notice = read_notice("通知.docx", _docx(build))
    kinds = [type(b).__name__ for b in notice.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    rows = notice.blocks[1].rows
    assert rows[2][0].merged == "above"
    assert rows[1][1].text == "高新区"


@pytest.mark.parametrize(
    ("name", "data"),
    [("通知.docx", b"not a zip"), ("通知.pdf", b"%PDF-1.4"), ("通知.doc", b"\xd0\xcf")],
)
def test_a_file_the_drafter_cannot_read_is_refused_in_chinese(name, data):
    with pytest.raises(NoticeUnreadable) as refused:
        read_notice(name, data)
    assert ".docx" in str(refused.value)


def test_text_saved_by_windows_in_gb18030_is_read():
    notice = read_notice("通知.txt", "一、送温暖专案\n".encode("gb18030"))
    assert notice.paragraphs[0].text == "一、送温暖专案"

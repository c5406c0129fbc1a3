#!/usr/bin/env python3
"""Ledger sheets laid out the way county offices publish them, for the import tests.

Usage: make_ledgers.py FOLDER — writes the workbooks (openpyxl) and a GB18030 CSV there.
"""
import datetime
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

out = sys.argv[1]


def title_row_sheet():
    """A title row (merged) and a note above the header, office headings, dates as date cells,
    as text and in words, units on separate lines of a cell, a 合计 row and a note below it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "督办台账"
    ws.append(["2026年县委督查事项台账"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：县委督查室", None, None, None, None, "截至2026年3月31日"])
    ws.append(["序号", "督办事项", "责任单位", "配合单位", "完成时限", "办理情况", "责任领导", "会议名称", "备注"])
    rows = [
        (1, "城区雨污分流改造", "县住建局", "县财政局\n城关镇", datetime.date(2026, 8, 31), "已完成管网测绘",
         "王海峰", "第3次县政府常务会议", "重点项目"),
        (2, "农村公路提质改造", "县交通运输局", "县财政局 县住建局", "年底前", None, "孙建军", None, None),
        (3, "校园周边交通整治", "县教育局", "县财政局，城关镇", "6月底前", None, None, None, None),
        (4, "集贸市场升级", "城关镇", None, "二季度", None, None, None, None),
        (5, "老旧小区加装电梯", "县住建局", None, "2026.9.30", None, None, None, None),
        (6, "背街小巷路灯整修", "城关镇", None, "2026年10月15日", None, None, None, None),
        (7, "河道清淤", "县住建局", None, "20261120", None, None, None, None),
        (8, "防汛物资储备", "县财政局", None, "5月6日", None, None, None, None),
    ]
    for r in rows:
        ws.append(list(r))
    ws["E4"].number_format = "yyyy\"年\"m\"月\"d\"日\""
    ws.append(["合计", "8项"])
    ws.append([])
    ws.append(["填表人：李明", None, "联系电话：0731-5521100"])
    wb.save(f"{out}/台账-标题行.xlsx")


def two_row_header_sheet():
    """A header of two rows: 责任单位 merged over 牵头单位 | 配合单位, the other headings merged
    down; 交办时间 as Excel serial dates and a date-time; an empty template row at the foot."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append(["2026年重点工作任务分解表"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "工作任务", "责任单位", None, "交办时间", "时间要求", "推进情况"])
    ws.append([None, None, "牵头单位", "配合单位", None, None, None])
    for col in "ABEFG":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("C2:D2")
    ws.append([1, "招商引资项目落地", "县发改局", "县财政局", datetime.datetime(2026, 3, 5, 14, 30), "上半年", "已签约2个项目"])
    ws.append([2, "营商环境评价整改", "县发改局", None, datetime.date(2026, 3, 6), "三季度", None])
    ws.append([3, None, None, None, None, None, None])
    ws["E4"].number_format = "yyyy/m/d h:mm"
    ws["E5"].number_format = "yyyy-mm-dd"
    wb.save(f"{out}/台账-两行表头.xlsx")


def base_1904_sheet():
    """ducha's own headings on the second sheet of a workbook on the 1904 date base."""
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    first = wb.active
    first.title = "说明"
    first.append(["本工作簿第二个工作表为台账"])
    ws = wb.create_sheet("台账")
    ws.append(["事项", "来源", "牵头单位", "交办日期", "办理时限"])
    ws.append(["政务服务大厅改造", "上级交办", "县财政局", datetime.date(2026, 4, 1), datetime.date(2026, 7, 15)])
    ws["D2"].number_format = "yyyy-mm-dd"
    ws["E2"].number_format = "yyyy-mm-dd"
    wb.save(f"{out}/台账-1904.xlsx")


def refused_sheet():
    """Rows that must be refused, each with its row named: a long-term item, a likely typo of a
    registered unit, two units joined by a slash; and two lead units in one cell, which is not
    refused but handed to each unit separately (分别办理)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["督办事项", "责任单位", "完成时限"])
    ws.append(["城乡环境整治", "城关镇、县住建局", "2026-09-30"])
    ws.append(["安全生产检查", "县住建局", "长期"])
    ws.append(["物业小区整治", "县住建厅", "2026-10-31"])
    ws.append(["危房改造", "城关镇/县住建局", "2026-10-31"])
    wb.save(f"{out}/台账-有问题.xlsx")


def gb18030_csv():
    """A CSV saved by Chinese Excel: GB18030, a title row, office headings, a 合计 row."""
    lines = [
        "2026年群众反映问题督办台账,,,,,",
        "序号,交办事项,承办单位,协办单位,办结时限,落实情况",
        "1,菜市场噪音扰民,城关镇,,2026/05/06,已约谈商户",
        '2,小区停车难,县住建局,"县交通运输局、城关镇",2026年底前,',
        "合计,2件,,,,",
    ]
    with open(f"{out}/台账-GB18030.csv", "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("gb18030"))


title_row_sheet()
two_row_header_sheet()
base_1904_sheet()
refused_sheet()
gb18030_csv()

"""Chinese text of case import: template columns, file and cell errors, the import page."""

IMPORT_OUT_OF_SCOPE = "文件中有案件属于您管辖范围以外的单位，未导入。"
IMPORT_REVISION_REASON = "导入文件“{filename}”"
IMPORT_AUDIT_DETAIL = "导入 {filename}：新增 {created} 起，更新 {updated} 起，未变 {unchanged} 起"
IMPORT_TITLE = "案件导入"
IMPORT_INTRO = ("从其他警务系统导出的 CSV 或 Excel（.xlsx）文件导入案件：以**案件编号**为准，已有的案件按文件更新"
                "（变化记入修改记录），新的案件新增；只要有一行有误，整个文件都不导入。")
IMPORT_TEMPLATE_XLSX = "下载 Excel 模板"
IMPORT_TEMPLATE_CSV = "下载 CSV 模板"
IMPORT_TEMPLATE_NAME = "案件导入模板"
IMPORT_FILE = "选择文件"
IMPORT_FILE_HELP = "CSV（UTF-8 或 GBK 编码）或 Excel .xlsx，第一行为表头，列名见模板。"
IMPORT_DATUM = "文件中经纬度的坐标系"
IMPORT_DATUM_WGS84 = "WGS84（GPS、天地图）"
IMPORT_DATUM_GCJ02 = "GCJ-02（高德、腾讯地图）"
IMPORT_DATUM_HELP = "导入时统一换算为 WGS84 保存。不清楚时请询问导出数据的系统管理员。"
IMPORT_TOO_LARGE = "文件超过 {mb} MB，请分成几个文件导入。"
IMPORT_START = "开始导入"
IMPORT_READING = "正在校验"
IMPORT_WRITING = "正在写入"
IMPORT_REFUSED = "文件中有 {count} 处错误，整个文件未导入。请按下表修改后重新导入。"
IMPORT_COL_ROW = "行号"
IMPORT_COL_COLUMN = "列"
IMPORT_COL_REASON = "问题"
IMPORT_ERRORS_DOWNLOAD = "下载错误清单"
IMPORT_ERRORS_NAME = "导入错误清单.csv"
IMPORT_DONE = "导入完成：新增 {created:,} 起，更新 {updated:,} 起，未变 {unchanged:,} 起。"
CASE_FILE_XLSX_INVALID = "该文件不是有效的 Excel（.xlsx）工作簿：请在 Excel 中“另存为” .xlsx 或 CSV 后再导入。"
CASE_FILE_XLSX_TOO_BIG = ("该 Excel 文件解压后过大（超过 {total} MB，或其中一个部件超过 {member} MB），已拒绝读取："
                          "请拆分文件或另存为 CSV 后再导入。")
CASE_FILE_XLSX_RATIO = "该 Excel 文件的压缩比异常（超过 {ratio}:1），疑似恶意构造的文件，已拒绝读取。"
CASE_FILE_XLSX_MEMBERS = "该 Excel 文件包含的部件过多（超过 {limit} 个），不是正常的表格文件，已拒绝读取。"
CASE_FILE_XLSX_EXTENT = "工作表的数据区域过大（{rows:,} 行 × {columns:,} 列），已拒绝读取：请删除多余的行和列后再导入。"
# Column key (a FraudCase field) → (header, how to fill it, example). {…} placeholders are filled from the enums above.
CASE_FILE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "case_no": ("案件编号", "最多 40 个字符，不区分大小写；以此为准，重复导入同一编号不会产生重复案件", "A3506052026112000001"),
    "unit_id": ("所属单位", "单位编码或单位名称，须为本单位或下级单位", "350605100"),
    "reported_at": ("接报时间", "北京时间，如 2026-11-20 10:30、2026/11/20 10:30:00、2026-11-20；不得晚于现在",
                    "2026-11-20 10:30"),
    "occurred_at": ("发案时间", "格式同接报时间，不得晚于接报时间", "2026-11-19 21:15"),
    "fraud_type": ("诈骗类型", "以下之一（“类”字可省略）：{choices}", "刷单返利类"),
    "loss_fen": ("损失金额（元）", "以元为单位，最多两位小数，可写 1,234.56 或 12.3万；无损失填 0", "35000"),
    "recovered_fen": ("挽回金额（元）", "格式同损失金额，不得大于损失金额；不填为 0", "0"),
    "frozen_fen": ("冻结金额（元）", "格式同损失金额；不填为 0", "5000.5"),
    "status": ("案件状态", "以下之一：{choices}；不填为“已立案”", "侦查中"),
    "contact_channel": ("联系渠道", "以下之一：{choices}", "QQ"),
    "payment_channel": ("支付方式", "以下之一：{choices}", "银行卡转账"),
    "lon": ("经度", "十进制度数，与纬度同时填写；坐标系（WGS84 或 GCJ-02）在导入时选择", "117.7612"),
    "lat": ("纬度", "十进制度数，与经度同时填写", "24.6213"),
    "address": ("发案地址", "最多 {limit} 个字", "长泰区武安镇某小区"),
    "victim_name": ("受害人姓名", "最多 {limit} 个字", "张某某"),
    "victim_gender": ("受害人性别", "男 或 女", "女"),
    "victim_age": ("受害人年龄", "0–120 的整数", "28"),
    "victim_occupation": ("受害人职业", "如 {choices}；最多 {limit} 个字", "企业职员"),
    "victim_education": ("文化程度", "如 {choices}；最多 {limit} 个字", "本科"),
    "victim_economic": ("经济状况", "如 {choices}；最多 {limit} 个字", "一般"),
    "victim_reached_by_propaganda": ("是否接触过防诈宣传", "是 或 否；不详可不填", "否"),
    "summary": ("简要案情", "不限字数", "受害人在QQ群看到兼职刷单广告，按要求垫付后无法提现。"),
}
# Other headers other systems' exports use for the same columns (the template's own header also matches
# without its “（元）” suffix, with half-width brackets and with spaces or a * mark).
CASE_FILE_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "case_no": ("案号", "警情编号"),
    "unit_id": ("单位", "管辖单位", "立案单位", "单位编码", "单位名称"),
    "reported_at": ("报案时间", "接警时间", "接报警时间"),
    "occurred_at": ("案发时间",),
    "fraud_type": ("案件类型", "诈骗类别"),
    "loss_fen": ("被骗金额",),
    "victim_name": ("姓名",),
    "victim_gender": ("性别",),
    "victim_age": ("年龄",),
    "victim_occupation": ("职业",),
    "victim_economic": ("经济情况",),
    "victim_reached_by_propaganda": ("是否接触过反诈宣传",),
    "summary": ("案情", "简要案情描述"),
}
CASE_FILE_EDUCATION_ALIASES: dict[str, str] = {
    "小学": "小学及以下", "文盲": "小学及以下", "高中": "高中/中专", "中专": "高中/中专", "职高": "高中/中专",
    "技校": "高中/中专", "专科": "大专", "大学本科": "本科", "硕士": "研究生", "博士": "研究生",
}
CASE_FILE_YES = ("是", "有", "y", "yes", "true", "1", "√")
CASE_FILE_NO = ("否", "无", "没有", "n", "no", "false", "0", "×")
CASE_FILE_UNKNOWN = ("不详", "未知", "不清楚")
CASE_FILE_GENDER_ALIASES: dict[str, str] = {"男性": "male", "女性": "female", "m": "male", "f": "female"}
CASE_FILE_FRAUD_TYPE_ALIASES: dict[str, str] = {"其它": "other"}
CASE_FILE_SHEET_CASES = "案件"
CASE_FILE_SHEET_HELP = "填写说明"
CASE_FILE_HELP_HEADERS = ("列名", "是否必填", "填写格式", "示例")
CASE_FILE_REQUIRED = "必填"
CASE_FILE_OPTIONAL = "选填"
CASE_FILE_NOTES = (
    "第一行为表头，从第二行起每行一起案件；列的顺序不限，选填列可以删去，无法识别的列会被忽略。",
    "示例行仅供参考，导入前请删除。",
    "只要有一行有误，整个文件都不导入；系统会列出每一处错误的行号、列名和原因。",
    "以案件编号为准：编号已存在的案件按文件内容更新，不会重复新增。",
    "时间按北京时间填写；金额以元为单位，精确到分。",
    "经纬度的坐标系（WGS84 或 GCJ-02）在导入页面选择，系统统一换算为 WGS84 保存。",
    "CSV 文件可用 UTF-8 或 GBK 编码；每个文件最多 {limit:,} 行。",
)
CASE_FILE_WARN_IGNORED = "以下列无法识别，已忽略：{columns}。"
# Whole-file problems (reported as row 0, or row 1 for the header)
CASE_FILE_UNSUPPORTED = "只能导入 CSV 或 Excel（.xlsx）文件。"
CASE_FILE_XLS = ("不支持旧版 Excel（.xls）或设置了密码的文件：请在 Excel 中取消密码并“另存为” .xlsx 或 CSV 后"
                 "再导入。")
CASE_FILE_XLSX_UNREADABLE = "无法读取该 Excel 文件：文件可能已损坏或设置了密码。"
CASE_FILE_NO_SHEET = "该 Excel 文件中没有工作表。"
CASE_FILE_NOT_TEXT = "该文件不是文本格式的 CSV。"
CASE_FILE_ENCODING = "无法识别文件编码：请将 CSV 保存为 UTF-8 或 GBK 编码。"
CASE_FILE_CSV_BROKEN = "CSV 文件第 {line} 行附近格式有误（引号不成对或单元格内容过长）。"
CASE_FILE_EMPTY = "文件是空的。"
CASE_FILE_NO_DATA = "文件中没有案件数据（只有表头）。"
CASE_FILE_TOO_MANY_ROWS = "文件超过 {limit:,} 行，请拆分成几个文件分批导入。"
CASE_FILE_MISSING_COLUMNS = "缺少必填列：{columns}。请按导入模板填写表头。"
CASE_FILE_DUPLICATE_COLUMN = "表头中“{column}”列出现了不止一次。"
CASE_FILE_WHOLE_FILE = "（整个文件）"
CASE_FILE_HEADER_ROW = "（表头）"
CASE_FILE_DATUM_INVALID = "坐标系只能是 WGS84 或 GCJ-02。"
# Cell problems (row, column, reason)
CASE_FILE_REQUIRED_EMPTY = "必填，不能为空。"
CASE_FILE_TOO_LONG = "超过 {limit} 个字。"
CASE_FILE_CONTROL_CHARS = "含有换行符或不可见的控制字符。"
CASE_FILE_DUPLICATE_CASE_NO = "与第 {row} 行案件编号重复。"
CASE_FILE_UNIT_UNKNOWN = "找不到单位“{value}”：请填写本单位或下级单位的编码或名称。"
CASE_FILE_TIME_FORMAT = "无法识别的时间“{value}”，应为 2026-11-20 10:30 这样的格式。"
CASE_FILE_TIME_NO_DATE = "只有时刻没有日期。"
CASE_FILE_DATE_INVALID = "日期或时刻不存在：“{value}”。"
CASE_FILE_TIME_TOO_OLD = "时间早于 {year} 年，请核对。"
CASE_FILE_TIME_FUTURE = "时间晚于现在，请核对。"
CASE_FILE_OCCURRED_AFTER_REPORTED = "发案时间晚于接报时间。"
CASE_FILE_FRAUD_TYPE_UNKNOWN = "无法识别的诈骗类型“{value}”，请按《填写说明》中的类型名称填写。"
CASE_FILE_CHOICE_UNKNOWN = "无法识别“{value}”，应为：{choices}。"
CASE_FILE_AMOUNT_FORMAT = "无法识别的金额“{value}”，应为以元为单位的数字，如 1234.56 或 12.3万。"
CASE_FILE_AMOUNT_DECIMALS = "金额最多两位小数（精确到分）。"
CASE_FILE_AMOUNT_NEGATIVE = "金额不能为负数。"
CASE_FILE_AMOUNT_TOO_LARGE = "金额超过 10 亿元，请核对。"
CASE_FILE_RECOVERED_OVER_LOSS = "挽回金额大于损失金额。"
CASE_FILE_COORD_FORMAT = "无法识别的坐标“{value}”，应为十进制度数，如 117.7612。"
CASE_FILE_LON_RANGE = "经度应在 -180 到 180 之间。"
CASE_FILE_LAT_RANGE = "纬度应在 -90 到 90 之间。"
CASE_FILE_COORDS_SWAPPED = "经度、纬度可能填反了。"
CASE_FILE_COORDS_PAIR = "经度和纬度须同时填写。"
CASE_FILE_AGE = "年龄应为 0–120 的整数。"

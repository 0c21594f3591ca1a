"""Every user-facing string and enum label of 反诈指挥台, in one place so tests can refer to them."""

from enum import StrEnum


class FraudType(StrEnum):
    """The police platform's 12 telecom-fraud categories (CCL 2023) plus 其他."""

    REBATE = "rebate"
    FAKE_CUSTOMER_SERVICE = "fake_customer_service"
    INVESTMENT = "investment"
    LOAN_CARD = "loan_card"
    CREDIT_RECORD = "credit_record"
    SHOPPING_SERVICE = "shopping_service"
    FAKE_AUTHORITY = "fake_authority"
    FAKE_ACQUAINTANCE = "fake_acquaintance"
    GAME_TRADE = "game_trade"
    ROMANCE = "romance"
    NET_BLACKMAIL = "net_blackmail"
    FAKE_MILITARY_PURCHASE = "fake_military_purchase"
    OTHER = "other"


FRAUD_TYPE_LABELS: dict[FraudType, str] = {
    FraudType.REBATE: "刷单返利类",
    FraudType.FAKE_CUSTOMER_SERVICE: "冒充电商物流客服类",
    FraudType.INVESTMENT: "虚假网络投资理财类",
    FraudType.LOAN_CARD: "贷款、代办信用卡类",
    FraudType.CREDIT_RECORD: "虚假征信类",
    FraudType.SHOPPING_SERVICE: "虚假购物、服务类",
    FraudType.FAKE_AUTHORITY: "冒充公检法及政府机关类",
    FraudType.FAKE_ACQUAINTANCE: "冒充领导、熟人类",
    FraudType.GAME_TRADE: "网络游戏产品虚假交易类",
    FraudType.ROMANCE: "网络婚恋、交友类",
    FraudType.NET_BLACKMAIL: "网黑案件",
    FraudType.FAKE_MILITARY_PURCHASE: "冒充军警购物类诈骗",
    FraudType.OTHER: "其他",
}

# Shares (%) of 102,762 real cases exported from a public-security anti-fraud platform, 2022.
FRAUD_TYPE_SHARES: dict[FraudType, float] = {
    FraudType.REBATE: 34.5,
    FraudType.FAKE_CUSTOMER_SERVICE: 13.4,
    FraudType.INVESTMENT: 11.5,
    FraudType.LOAN_CARD: 10.8,
    FraudType.CREDIT_RECORD: 8.2,
    FraudType.SHOPPING_SERVICE: 6.9,
    FraudType.FAKE_AUTHORITY: 4.4,
    FraudType.FAKE_ACQUAINTANCE: 4.3,
    FraudType.GAME_TRADE: 2.1,
    FraudType.ROMANCE: 1.6,
    FraudType.NET_BLACKMAIL: 1.2,
    FraudType.FAKE_MILITARY_PURCHASE: 1.1,
}


class UnitKind(StrEnum):
    """Kinds of unit in the 市局 → 分局/县局 → 派出所 hierarchy."""

    CITY_BUREAU = "city_bureau"
    DISTRICT_BUREAU = "district_bureau"
    STATION = "station"
    TEAM = "team"
    COMMAND_CENTER = "command_center"


UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.CITY_BUREAU: "市局",
    UnitKind.DISTRICT_BUREAU: "分局/县局",
    UnitKind.STATION: "派出所",
    UnitKind.TEAM: "大队",
    UnitKind.COMMAND_CENTER: "指挥中心",
}


class CaseStatus(StrEnum):
    """Where a case stands."""

    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    SOLVED = "solved"
    CLOSED = "closed"


CASE_STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.REGISTERED: "已立案",
    CaseStatus.INVESTIGATING: "侦查中",
    CaseStatus.SOLVED: "已破案",
    CaseStatus.CLOSED: "已终止",
}


class ContactChannel(StrEnum):
    """How the fraudster reached the victim."""

    PHONE = "phone"
    SMS = "sms"
    WECHAT = "wechat"
    QQ = "qq"
    APP = "app"
    WEBSITE = "website"
    OTHER = "other"


CONTACT_CHANNEL_LABELS: dict[ContactChannel, str] = {
    ContactChannel.PHONE: "电话",
    ContactChannel.SMS: "短信",
    ContactChannel.WECHAT: "微信",
    ContactChannel.QQ: "QQ",
    ContactChannel.APP: "APP",
    ContactChannel.WEBSITE: "网站",
    ContactChannel.OTHER: "其他",
}


class PaymentChannel(StrEnum):
    """How the victim paid."""

    BANK_TRANSFER = "bank_transfer"
    ALIPAY = "alipay"
    WECHAT_PAY = "wechat_pay"
    ATM = "atm"
    CASH = "cash"
    OTHER = "other"


PAYMENT_CHANNEL_LABELS: dict[PaymentChannel, str] = {
    PaymentChannel.BANK_TRANSFER: "银行卡转账",
    PaymentChannel.ALIPAY: "支付宝",
    PaymentChannel.WECHAT_PAY: "微信",
    PaymentChannel.ATM: "ATM",
    PaymentChannel.CASH: "现金",
    PaymentChannel.OTHER: "其他",
}


class Gender(StrEnum):
    """Victim or caller gender."""

    MALE = "male"
    FEMALE = "female"


GENDER_LABELS: dict[Gender, str] = {Gender.MALE: "男", Gender.FEMALE: "女"}

OCCUPATIONS: tuple[str, ...] = (
    "企业职员", "个体经营", "学生", "务农", "退休人员", "无业", "公职人员", "自由职业", "财会人员", "其他",
)
EDUCATION_LEVELS: tuple[str, ...] = ("小学及以下", "初中", "高中/中专", "大专", "本科", "研究生")
ECONOMIC_STATUSES: tuple[str, ...] = ("困难", "一般", "较好", "富裕")


class CallType(StrEnum):
    """Kinds of call at the 110 anti-fraud expert desk."""

    REPORT = "report"
    CONSULT = "consult"
    TIPOFF = "tipoff"


CALL_TYPE_LABELS: dict[CallType, str] = {
    CallType.REPORT: "报警",
    CallType.CONSULT: "咨询",
    CallType.TIPOFF: "举报",
}


class CallOutcome(StrEnum):
    """What came of a call."""

    DISSUADED = "dissuaded"
    TO_CASE = "to_case"
    LEAD_LOGGED = "lead_logged"
    ANSWERED = "answered"
    OTHER = "other"


CALL_OUTCOME_LABELS: dict[CallOutcome, str] = {
    CallOutcome.DISSUADED: "劝阻成功",
    CallOutcome.TO_CASE: "已被骗转立案",
    CallOutcome.LEAD_LOGGED: "线索已录入",
    CallOutcome.ANSWERED: "咨询答复",
    CallOutcome.OTHER: "其他",
}


class IdentifierKind(StrEnum):
    """Kinds of identifier captured from calls and cases."""

    PHONE = "phone"
    BANK_ACCOUNT = "bank_account"
    URL = "url"
    APP = "app"
    QQ = "qq"
    WECHAT = "wechat"
    ID_CARD = "id_card"


IDENTIFIER_KIND_LABELS: dict[IdentifierKind, str] = {
    IdentifierKind.PHONE: "电话号码",
    IdentifierKind.BANK_ACCOUNT: "银行账户",
    IdentifierKind.URL: "网址",
    IdentifierKind.APP: "APP",
    IdentifierKind.QQ: "QQ号",
    IdentifierKind.WECHAT: "微信号",
    IdentifierKind.ID_CARD: "身份证号",
}


class Outreach(StrEnum):
    """The "八进" (and more) places propaganda goes into."""

    SCHOOL = "school"
    COMMUNITY = "community"
    FACTORY = "factory"
    RESIDENTIAL = "residential"
    MALL = "mall"
    HOSPITAL = "hospital"
    ENTERPRISE = "enterprise"
    VILLAGE = "village"
    AGENCY = "agency"
    BANK = "bank"
    TELECOM_HALL = "telecom_hall"


OUTREACH_LABELS: dict[Outreach, str] = {
    Outreach.SCHOOL: "进校园",
    Outreach.COMMUNITY: "进社区",
    Outreach.FACTORY: "进工厂",
    Outreach.RESIDENTIAL: "进小区",
    Outreach.MALL: "进商场",
    Outreach.HOSPITAL: "进医院",
    Outreach.ENTERPRISE: "进企业",
    Outreach.VILLAGE: "进村屯",
    Outreach.AGENCY: "进机关",
    Outreach.BANK: "进银行",
    Outreach.TELECOM_HALL: "进营业厅",
}


class ActivityChannel(StrEnum):
    """Propaganda channels."""

    BANNER = "banner"
    POSTER = "poster"
    LEAFLET = "leaflet"
    DISPLAY_BOARD = "display_board"
    LED_TV = "led_tv"
    LECTURE = "lecture"
    PUSH = "push"
    HOME_VISIT = "home_visit"
    PLEDGE = "pledge"


ACTIVITY_CHANNEL_LABELS: dict[ActivityChannel, str] = {
    ActivityChannel.BANNER: "横幅",
    ActivityChannel.POSTER: "海报",
    ActivityChannel.LEAFLET: "折页",
    ActivityChannel.DISPLAY_BOARD: "展板",
    ActivityChannel.LED_TV: "LED/电视",
    ActivityChannel.LECTURE: "讲座",
    ActivityChannel.PUSH: "微信/短信推送",
    ActivityChannel.HOME_VISIT: "入户走访",
    ActivityChannel.PLEDGE: "签名承诺",
}


class AccountabilityLevel(StrEnum):
    """Single-case loss threshold levels."""

    L10W = "l10w"
    L50W = "l50w"
    L100W = "l100w"


ACCOUNTABILITY_LEVEL_LABELS: dict[AccountabilityLevel, str] = {
    AccountabilityLevel.L10W: "10万元以上",
    AccountabilityLevel.L50W: "50万元以上",
    AccountabilityLevel.L100W: "100万元以上",
}


class ItemStatus(StrEnum):
    """Workflow states of an accountability item."""

    PENDING = "pending"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    CLOSED = "closed"


ITEM_STATUS_LABELS: dict[ItemStatus, str] = {
    ItemStatus.PENDING: "待说明",
    ItemStatus.SUBMITTED: "已提交说明",
    ItemStatus.APPROVED: "已审核通过",
    ItemStatus.RETURNED: "退回",
    ItemStatus.CLOSED: "已关闭",
}


class Role(StrEnum):
    """User roles."""

    ADMIN = "admin"
    LEADER = "leader"
    COMMAND = "command"
    DESK = "desk"
    CLERK = "clerk"
    WALL = "wall"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "系统管理员",
    Role.LEADER: "局领导",
    Role.COMMAND: "指挥中心",
    Role.DESK: "专家席民警",
    Role.CLERK: "单位填报员",
    Role.WALL: "大屏",
}


class CaseSource(StrEnum):
    """Where a case record came from."""

    MANUAL = "manual"
    IMPORT = "import"
    CALL = "call"
    DEMO = "demo"


APP_TITLE = "反诈指挥台"
DEMO_BADGE = "演示数据"
DEMO_BADGE_HELP = "当前显示的是系统生成的演示数据，不是真实警情。"
SYNTHETIC_BOUNDARY_NOTE = "派出所辖区边界为演示用合成数据"

# Overview page
OVERVIEW_TITLE = "总览"
OVERVIEW_TODAY = "今日"
OVERVIEW_MONTH = "本月"
METRIC_CASES = "案件数"
METRIC_LOSS = "损失金额"
METRIC_RECOVERED = "挽回金额"
METRIC_CALLS = "专家席来电"
METRIC_DISSUADED = "劝阻成功"
COL_DISTRICT = "分局/县局"
COL_CASES_MONTH = "本月案件(起)"
COL_CASES_PREV = "上月同期(起)"
COL_CASES_CHANGE = "案件环比"
COL_LOSS_MONTH = "本月损失(万元)"
COL_LOSS_PREV = "上月同期损失(万元)"
COL_LOSS_CHANGE = "损失环比"
COL_RECOVERED_MONTH = "本月挽回(万元)"
COL_CALLS_MONTH = "本月来电(次)"
COL_DISSUADED_MONTH = "本月劝阻(次)"
TOTAL_ROW = "合计"
OWN_LEVEL = "（本级）"
OVERVIEW_TABLE_CAPTION = "统计口径：按北京时间；本月为 {start} 至 {end}，上月同期为 {prev_start} 至 {prev_end}。"
OVERVIEW_EMPTY = "数据库中还没有单位。请运行 `fanzha demo` 载入演示数据，或用 `fanzha import-units` 导入辖区。"
CHANGE_NEW = "新增"
UNIT_WAN_YUAN = "万元"
UNIT_CASES = "起"
UNIT_CALLS = "次"
DATA_AS_OF = "数据截至 {time}（北京时间）"
GENERIC_ERROR = "页面出错了，请稍后重试或联系系统管理员。"


class AuditAction(StrEnum):
    """What an audit record says happened."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    UNMASK = "unmask"
    DENIED = "denied"


AUDIT_ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.LOGIN: "登录",
    AuditAction.LOGIN_FAILED: "登录失败",
    AuditAction.LOGOUT: "退出",
    AuditAction.CREATE: "新增",
    AuditAction.UPDATE: "修改",
    AuditAction.DELETE: "删除",
    AuditAction.EXPORT: "导出",
    AuditAction.UNMASK: "查看完整信息",
    AuditAction.DENIED: "拒绝访问",
}

# Login, accounts and access
LOGIN_TITLE = "登录反诈指挥台"
LOGIN_USERNAME = "用户名"
LOGIN_PASSWORD = "密码"
LOGIN_SUBMIT = "登录"
LOGIN_HINT_DEMO = "演示环境：各角色账号见 README，密码均为 Fanzha@Demo1"
LOGIN_FAILED = "用户名或密码错误。"
LOGIN_LOCKED = "连续 {attempts} 次密码错误，账号已锁定，请于 {until}（北京时间）后再试。"
LOGIN_INACTIVE = "账号已停用，请联系系统管理员。"
LOGIN_EMPTY = "请输入用户名和密码。"
LOGOUT = "退出登录"
LOGGED_OUT_IDLE = "已超过 {minutes} 分钟未操作，已自动退出，请重新登录。"
SIGNED_IN_AS = "{name}（{role}）· {unit}"
TRUSTED_HEADER_UNKNOWN = "统一认证用户“{username}”未在本系统开通，请联系系统管理员。"
TRUSTED_HEADER_MISSING = "未收到统一认证身份信息，请通过单位门户访问本系统。"
ACCESS_DENIED = "无权执行此操作。"
OUT_OF_SCOPE = "无权查看该单位的数据：只能查看本单位及下级单位。"
NOT_FOUND_OR_OUT_OF_SCOPE = "记录不存在，或不在您的管辖范围内。"

PASSWORD_TOO_SHORT = "密码至少 {length} 位。"
PASSWORD_CLASSES = "密码须包含大写字母、小写字母、数字、符号中的至少 {classes} 类。"
PASSWORD_CONTAINS_USERNAME = "密码不能包含用户名。"
PASSWORD_MISMATCH = "两次输入的新密码不一致。"
PASSWORD_WRONG_CURRENT = "当前密码不正确。"
PASSWORD_CHANGED = "密码已修改。"
USERNAME_INVALID = "用户名须为 3–32 位小写字母、数字、下划线或点。"
USERNAME_TAKEN = "用户名“{username}”已存在。"
DISPLAY_NAME_REQUIRED = "请填写姓名。"
UNIT_REQUIRED = "请选择所属单位。"

# Masking and unmasking
UNMASK_BUTTON = "查看完整信息"
UNMASK_REASON = "查看理由"
UNMASK_REASON_HELP = "将记入审计日志，例如：核查涉案账户、回访受害人。"
UNMASK_REASON_TOO_SHORT = "请填写查看理由（至少 4 个字）。"
UNMASK_CONFIRM = "确认查看"
UNMASK_SHOWN = "以下为完整信息，已记入审计日志。请勿截屏外传。"

# Navigation and page titles
NAV_GROUP_VIEWS = "业务"
NAV_GROUP_ADMIN = "系统管理"
NAV_GROUP_ACCOUNT = "账号"
CASES_TITLE = "案件登记"
USERS_TITLE = "用户管理"
AUDIT_TITLE = "审计日志"
ACCOUNT_TITLE = "修改密码"
UNIT_PICKER = "单位"
BRANCH_LABELS = {1: "分局/县局", 2: "派出所", 3: "单位", 4: "单位"}
OVERVIEW_TABLE_TITLE_BY_BRANCH = "各{branch}本月情况"

# Case register
CASES_FILTER_TYPE = "诈骗类型"
CASES_FILTER_ALL = "全部"
CASES_FILTER_FROM = "接报日期（起）"
CASES_FILTER_TO = "接报日期（止）"
CASES_FILTER_BAND = "损失金额"
CASES_FILTER_CASE_NO = "案件编号"
CASES_FILTER_SORT = "排序"
CASES_DATE_ORDER = "起始日期不能晚于截止日期。"
CASES_TOTAL = "共 {total:,} 起，第 {page} / {pages} 页"
CASES_PAGE = "页码"
CASES_EMPTY = "没有符合条件的案件。"
CASES_SELECT_HINT = "点击表格中的一行查看案件详情。"
CASES_DETAIL = "案件详情"
LOSS_BANDS = {
    "all": ("全部", None, None),
    "lt1w": ("1万元以下", None, 1_000_000),
    "1w_10w": ("1万–10万元", 1_000_000, 10_000_000),
    "10w_50w": ("10万–50万元", 10_000_000, 50_000_000),
    "50w_100w": ("50万–100万元", 50_000_000, 100_000_000),
    "ge100w": ("100万元以上", 100_000_000, None),
    "ge10w": ("10万元以上（含）", 10_000_000, None),
}
CASE_SORT_LABELS = {
    "reported_desc": "接报时间（新→旧）",
    "reported_asc": "接报时间（旧→新）",
    "loss_desc": "损失金额（大→小）",
    "loss_asc": "损失金额（小→大）",
}
COL_CASE_NO = "案件编号"
COL_UNIT = "单位"
COL_REPORTED_AT = "接报时间"
COL_FRAUD_TYPE = "诈骗类型"
COL_LOSS = "损失(万元)"
COL_RECOVERED = "挽回(万元)"
COL_STATUS = "状态"
COL_VICTIM = "受害人"
COL_AGE = "年龄"
FIELD_OCCURRED_AT = "发案时间"
FIELD_CONTACT = "联系渠道"
FIELD_PAYMENT = "支付方式"
FIELD_VICTIM_PROFILE = "受害人画像"
FIELD_REACHED = "是否接触过防诈宣传"
FIELD_SUMMARY = "简要案情"
FIELD_IDENTIFIERS = "涉案号码、账户"
FIELD_LOCATION = "位置"
UNLOCATED = "未定位"
YES, NO, UNKNOWN = "是", "否", "不详"

# User administration, audit page, own password
USERS_NEW = "新增用户"
USERS_USERNAME = "用户名"
USERS_DISPLAY_NAME = "姓名"
USERS_ROLE = "角色"
USERS_UNIT = "所属单位"
USERS_PASSWORD = "初始密码"
USERS_CREATE = "创建用户"
USERS_CREATED = "已创建用户“{username}”。"
USERS_ACTIVE = "状态"
USERS_LOCKED = "锁定至"
USERS_LAST_LOGIN = "最近登录"
USERS_SELECT_HINT = "点击表格中的一行管理该用户。"
USERS_RESET = "重置密码"
USERS_NEW_PASSWORD = "新密码"
USERS_UNLOCK = "解除锁定"
USERS_DISABLE = "停用账号"
USERS_ENABLE = "启用账号"
USERS_DONE = "已完成：{action}。"
ACTIVE, INACTIVE = "启用", "停用"
AUDIT_FILTER_USER = "用户名"
AUDIT_FILTER_ACTION = "操作"
AUDIT_FILTER_FROM = "起始日期"
AUDIT_FILTER_TO = "截止日期"
AUDIT_TOTAL = "共 {total:,} 条（显示最新 {shown:,} 条）"
AUDIT_EXPORT_PREPARE = "生成导出文件"
AUDIT_EXPORT_DOWNLOAD = "下载 CSV"
AUDIT_RETENTION_NOTE = "审计记录只可追加，系统不提供修改或删除途径（保存期不少于 180 天）。"
ACCOUNT_CURRENT = "当前密码"
ACCOUNT_NEW = "新密码"
ACCOUNT_REPEAT = "再次输入新密码"
ACCOUNT_SUBMIT = "修改密码"
ACCOUNT_POLICY = "密码至少 10 位，包含大写字母、小写字母、数字、符号中的至少 3 类，且不含用户名。"
ACCOUNT_TRUSTED_HEADER = "本系统通过统一认证登录，密码请在统一认证平台修改。"
UNIT_CODE_REQUIRED = "请填写单位编码。"
UNIT_CODE_TAKEN = "单位编码 {code} 已存在。"
UNIT_NAME_REQUIRED = "请填写单位名称。"
UNIT_PARENT_MISSING = "上级单位 {code} 不存在。"

# 110 expert desk
DESK_TITLE = "专家席来电登记"
DESK_TAB_FORM = "来电登记"
DESK_TAB_TODAY = "今日来电"
DESK_TAB_SEARCH = "号码查询"
DESK_TAB_HOT = "热点线索"
DESK_RECEIVED_AT = "来电时间"
DESK_CALL_TYPE = "来电类型"
DESK_CALLER_PHONE = "来电号码"
DESK_CALLER_GENDER = "性别"
DESK_CALLER_AGE = "年龄"
DESK_CALLER_OCCUPATION = "职业"
DESK_CALLER_EDUCATION = "文化程度"
DESK_CALLER_REACHED = "是否接触过防诈宣传"
DESK_JURISDICTION = "涉及辖区"
DESK_FRAUD_TYPE = "诈骗类型"
DESK_NARRATIVE = "案情简述"
DESK_NARRATIVE_HELP = "边听边记；系统会从文字中提示诈骗类型和号码、账户、金额，点击确认后才会填入。"
DESK_LOST = "已损失金额（元）"
DESK_PENDING = "拟转账金额（元）"
DESK_PHONES = "诈骗电话（每行一个）"
DESK_ACCOUNTS = "收款账户（每行一个：开户行 账号）"
DESK_URLS = "网址（每行一个）"
DESK_APPS = "APP 名称（每行一个）"
DESK_QQ = "QQ 号（每行一个）"
DESK_WECHAT = "微信号（每行一个）"
DESK_OUTCOME = "处置结果"
DESK_FOLLOW_UP = "需要回访/跟进"
DESK_CONFIRM_LARGE = "我已核实：金额超过 1 亿元"
DESK_SUBMIT = "保存登记"
DESK_SAVED = "已保存来电登记（编号 {call_id}）。"
DESK_SAVED_CASE = "已保存来电登记（编号 {call_id}），并转立案：{case_no}。"
DESK_DUPLICATE = "该登记已保存过（编号 {call_id}），未重复保存。"
DESK_INVALID = "有 {count} 处需要修改，未保存。"
DESK_SUGGEST_TYPE = "建议类型：{label}（依据：{cues}）"
DESK_ACCEPT = "采用"
DESK_FOUND = "从案情中识别到："
DESK_ADD = "加入"
DESK_ADDED = "已填入"
DESK_SET_LOST = "设为已损失"
DESK_SET_PENDING = "设为拟转账"
DESK_SEEN_TITLE = "已有记录"
DESK_SEEN_NONE = "{value}：首次出现"
DESK_SEEN = "{value}：此前 {calls} 次来电、{cases} 起案件；首次 {first}，最近 {last}；涉及 {units}；关联损失 {loss} 万元"
DESK_HOT = "热点线索"
DESK_NO_JURISDICTION = "（未确定）"
DESK_SEARCH_INPUT = "输入电话、账号、网址、QQ 或微信号"
DESK_SEARCH_NONE = "没有找到该号码的记录。"
DESK_COUNTERS_DESK = "全席今日"
DESK_COUNTERS_OFFICER = "各民警今日"
DESK_COUNT_CALLS = "来电"
DESK_COUNT_DISSUADED = "劝阻成功"
DESK_COUNT_LEADS = "线索"
DESK_COUNT_CASES = "转立案"
DESK_OFFICER = "民警"
DESK_HOT_COUNT = "出现次数"
DESK_FIRST_SEEN = "首次出现"
DESK_LAST_SEEN = "最近出现"
DESK_UNITS = "涉及单位"
DESK_LINKED_LOSS = "关联损失(万元)"
DESK_VALUE = "号码/账号"
DESK_KIND = "类别"

# Validation messages (at the field)
V_FUTURE_TIME = "来电时间不能晚于现在。"
V_TOO_OLD = "来电时间不能早于 7 天前；补录历史来电请联系管理员。"
V_PHONE = "号码无效：{reason}"
V_AMOUNT_FORMAT = "请输入金额数字，例如 3634 或 1.2万。"
V_AMOUNT_NEGATIVE = "金额不能为负数。"
V_AMOUNT_HUGE = "金额超过 1 亿元，请核实后勾选确认。"
V_TOO_LONG = "内容过长：最多 {limit} 个字。"
V_ACCOUNT = "账号无效：{value}（应为 12–30 位数字）"
V_ACCOUNT_LUHN = "账号 {value} 校验位不符，可能为对公账户，请核实（不影响保存）。"
V_URL = "网址无效：{value}"
V_QQ = "QQ 号无效：{value}"
V_WECHAT = "微信号无效：{value}"
V_AGE = "年龄应在 0–120 之间。"
V_REQUIRED = "请填写{field}。"
V_TO_CASE_NEEDS_JURISDICTION = "转立案需选择涉及辖区。"
V_JURISDICTION_SCOPE = "所选辖区不在您的管辖范围内。"

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
    IMPORT = "import"
    SESSION_RESUMED = "session_resumed"


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
    AuditAction.IMPORT: "导入",
    AuditAction.SESSION_RESUMED: "恢复会话",
}

# Login, accounts and access
LOGIN_TITLE = "登录反诈指挥台"
LOGIN_USERNAME = "用户名"
LOGIN_PASSWORD = "密码"
LOGIN_SUBMIT = "登录"
LOGIN_HINT_DEMO = "演示环境：各角色账号见 README，密码均为 Fanzha@Demo1"
LOGIN_FAILED = "用户名或密码错误。"
LOGIN_EMPTY = "请输入用户名和密码。"
# Audit details of failed logins and of lifting a lock-out (the user sees only LOGIN_FAILED).
AUDIT_DETAIL_UNKNOWN_USER = "用户不存在"
AUDIT_DETAIL_INACTIVE = "账号已停用"
AUDIT_DETAIL_WRONG_PASSWORD = "密码错误"
AUDIT_DETAIL_NOW_LOCKED = "该地址连续 {attempts} 次密码错误，账号在该地址锁定 {minutes} 分钟"
AUDIT_DETAIL_LOCKED = "账号在该地址锁定中"
AUDIT_DETAIL_ADDRESS_BLOCKED = "该地址 {minutes} 分钟内登录失败 {attempts} 次以上，暂停登录"
AUDIT_DETAIL_UNLOCK = "解除锁定"
AUDIT_DETAIL_PASSWORD_RESET = "重置密码"
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
PASSWORD_COMMON = "密码过于常见（如 Password1!、Admin@12345），容易被猜中，请换一个。"
PASSWORD_KEYBOARD = "密码不能是键盘上相邻的按键或连续字符（如 qwerty、1qaz2wsx、123456、aaaa）。"
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

# Case edits and revisions (services/case_write.py)
CLI_USERNAME = "cli"  # the audit trail's user name for the fanzha command line
CASE_FIELD_LABELS = {
    "loss_fen": "损失金额", "fraud_type": "诈骗类型", "unit_id": "所属单位", "status": "案件状态",
    "recovered_fen": "挽回金额", "frozen_fen": "冻结金额",
}
CASE_AMOUNT_NEGATIVE = "金额不能为负数。"
CASE_AMOUNT_TOO_LARGE = "金额超过 10 亿元，请核对。"
CASE_RECOVERED_OVER_LOSS = "挽回金额不能大于损失金额。"
CASE_REASON_REQUIRED = "调低损失金额或更改诈骗类型须填写理由（至少 4 个字）。"
CASE_CHANGED_MEANWHILE = "该案件已被他人修改，请刷新页面后重新编辑。"
CASE_NO_REQUIRED = "请填写案件编号。"
CASE_NO_TOO_LONG = "案件编号不能超过 40 个字符。"
CASE_NO_TAKEN = "案件编号“{case_no}”已存在。"
CASE_REPORTED_IN_FUTURE = "接报时间不能晚于现在。"
CASE_OCCURRED_AFTER_REPORT = "发案时间不能晚于接报时间。"
CASE_EDIT = "编辑案件"
CASE_EDIT_SAVE = "保存修改"
CASE_EDIT_REASON = "修改理由"
CASE_EDIT_REASON_HELP = "调低损失金额或更改诈骗类型时必填，将记入修改记录。"
CASE_EDIT_SAVED = "已保存：{fields}。"
CASE_EDIT_NOTHING = "没有改动，未保存。"
CASE_EDIT_INVALID = "有 {count} 处需要修改，未保存。"
CASE_REVISIONS = "修改记录"
CASE_REVISIONS_EMPTY = "暂无修改记录。"
REVISION_COLUMNS = {"at": "时间", "username": "修改人", "field": "项目", "old": "原值", "new": "新值",
                    "reason": "理由", "source": "来源"}
CASE_SOURCE_LABELS = {"manual": "手工", "import": "导入", "call": "来电转立案", "demo": "演示"}
CASE_NEW = "新增案件"
CASE_NEW_SAVE = "登记案件"
CASE_NEW_SAVED = "已登记案件 {case_no}。"
FIELD_CASE_NO = "案件编号"
FIELD_UNIT = "所属单位"
FIELD_REPORTED_DATE = "接报日期"
FIELD_REPORTED_TIME = "接报时间"
FIELD_FRAUD_TYPE = "诈骗类型"
FIELD_STATUS = "案件状态"
FIELD_LOSS_YUAN = "损失金额（元）"
FIELD_RECOVERED_YUAN = "挽回金额（元）"
FIELD_FROZEN_YUAN = "冻结金额（元）"
FIELD_ADDRESS = "发案地址"
AMOUNT_INVALID = "请输入金额（元），例如 12345.67，最多两位小数。"

# Case import: writing (services/case_import.py) and the page
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

# Backup and restore (services/backup.py, `fanzha backup` / `fanzha restore`)
BACKUP_STAGE_COPY = "正在备份"
BACKUP_STAGE_DUMP = "正在导出（pg_dump）"
RESTORE_STAGE_COPY = "正在恢复"
RESTORE_STAGE_LOAD = "正在恢复（pg_restore）"
BACKUP_DONE = "已备份到 {path}（{size}）。"
RESTORE_DONE = "已从 {path} 恢复数据库：{tables} 张表，共 {rows:,} 行。"
RESTORE_HINT_UPGRADE = "如备份来自旧版本，请运行 fanzha init 升级数据库结构；应用运行期间请勿恢复。"
BACKUP_MEMORY_DATABASE = "内存数据库无法备份或恢复，请使用数据库文件。"
BACKUP_NO_DATABASE = "数据库文件 {path} 不存在。"
BACKUP_TARGET_EXISTS = "文件 {path} 已存在；如需覆盖请加 --force。"
BACKUP_NO_FILE = "备份文件 {path} 不存在。"
BACKUP_WRONG_FORMAT = "{path} 不是本数据库类型的备份文件（SQLite 需 SQLite 数据库文件，PostgreSQL 需 pg_dump -Fc 归档）。"
BACKUP_TOOL_MISSING = "找不到 {tool}，请安装 PostgreSQL 客户端（postgresql-client）。"
BACKUP_TOOL_FAILED = "{tool} 执行失败：{detail}"
RESTORE_NOT_EMPTY = "目标数据库中已有数据，未恢复；确认要用备份覆盖现有数据时请加 --force。"

# Jurisdiction import from GeoJSON (services/unit_import.py, `fanzha import-units`)
class Datum(StrEnum):
    """Coordinate datum of an imported boundary file (stored boundaries are always WGS84)."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"


DATUM_LABELS: dict[Datum, str] = {Datum.WGS84: "WGS84（GPS、天地图）", Datum.GCJ02: "GCJ-02（高德、腾讯）"}


class ImportAction(StrEnum):
    """What importing one feature does to its unit."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


IMPORT_ACTION_LABELS: dict[ImportAction, str] = {
    ImportAction.CREATE: "新增", ImportAction.UPDATE: "更新", ImportAction.UNCHANGED: "未变",
}
UNIT_IMPORT_COLUMNS = {
    "number": "要素序号", "code": "区划代码", "source_code": "文件中代码", "name": "单位名称",
    "parent": "上级单位", "action": "操作", "reason": "问题",
}
UNIT_IMPORT_TOP_LEVEL = "（顶级单位）"
UNIT_IMPORT_WHOLE_FILE = "（整个文件）"
UNIT_IMPORT_POPULATION_SOURCE = "辖区导入"
UNIT_IMPORT_NOT_UTF8 = "文件不是 UTF-8 编码的文本。"
UNIT_IMPORT_NOT_JSON = "文件不是有效的 JSON：{error}"
UNIT_IMPORT_NOT_COLLECTION = "文件应为 GeoJSON FeatureCollection（含 features 列表）。"
UNIT_IMPORT_NO_FEATURES = "文件中没有要素。"
UNIT_IMPORT_NOT_FEATURE = "不是 GeoJSON 要素（Feature）。"
UNIT_IMPORT_MISSING_PROPERTY = "缺少属性“{property}”。"
UNIT_IMPORT_BAD_CODE = "属性“{property}”的值“{value}”不是区划代码（应为不超过 12 位的数字）。"
UNIT_IMPORT_NAME_TOO_LONG = "名称“{name}”超过 {limit} 个字。"
UNIT_IMPORT_BAD_POPULATION = "人口“{value}”应为非负整数。"
UNIT_IMPORT_NOT_POLYGON = "几何类型为 {kind}，只接受 Polygon 或 MultiPolygon。"
UNIT_IMPORT_BAD_COORDINATES = "几何坐标无法解析：{error}"
UNIT_IMPORT_EMPTY_GEOMETRY = "几何为空。"
UNIT_IMPORT_OUTSIDE_CHINA = (
    "坐标超出中国范围（经度 73–136°、纬度 3–54°），实际范围 {bounds}：可能经纬度颠倒，或使用了投影坐标。"
)
UNIT_IMPORT_INVALID_GEOMETRY = "几何无效：{reason}"
UNIT_IMPORT_GEOMETRY_REASONS = {
    "Ring Self-intersection": "环自相交",
    "Self-intersection": "边界自相交",
    "Too few points": "点数过少",
    "Hole lies outside shell": "内环在外环之外",
    "Nested holes": "内环相互嵌套",
    "Nested shells": "外环相互嵌套",
    "Interior is disconnected": "内部不连通",
    "Duplicate Rings": "环重复",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
}
UNIT_IMPORT_DUPLICATE = "代码 {code} 在文件中重复（与第 {first} 个要素相同）。"
UNIT_IMPORT_AMBIGUOUS = "有多个单位使用区划代码 {code}：{units}。"
UNIT_IMPORT_CODE_TAKEN = "单位编码 {code} 已被“{unit}”使用，但该单位的区划代码不是 {code}。"
UNIT_IMPORT_PARENT_CYCLE = "上级关系成环：{codes}。"
UNIT_IMPORT_TOO_DEEP = "层级超过 4 级（上级为“{parent}”）。"
UNIT_IMPORT_HAS_PROBLEMS = "文件有 {count} 处问题，未导入。"
UNIT_IMPORT_AUDIT_DETAIL = "导入辖区{source}：新增 {created} 个，更新 {updated} 个，未变 {unchanged} 个"
UNIT_IMPORT_SUMMARY = "已导入辖区：新增 {created} 个单位，更新 {updated} 个，未变 {unchanged} 个。"
UNIT_IMPORT_DRY_RUN = "仅预览（--dry-run），未写入数据库。"
UNIT_IMPORT_PLAN_TITLE = "导入计划"
UNIT_IMPORT_PROBLEMS_TITLE = "问题清单"
UNIT_IMPORT_FILE_UNREADABLE = "无法读取文件 {path}：{error}"
CROSSWALK_HEADER = "代码对照表第 1 行应为表头“旧代码,新代码”或“old,new”。"
CROSSWALK_COLUMNS = "代码对照表第 {line} 行应为两列（旧代码,新代码）。"
CROSSWALK_BAD_CODE = "代码对照表第 {line} 行：“{value}”不是区划代码（应为不超过 12 位的数字）。"
CROSSWALK_CONFLICT = "代码对照表第 {line} 行：旧代码 {old} 已对应 {new}，不能再对应 {other}。"
CROSSWALK_NOT_TEXT = "代码对照表不是有效的 CSV 文本：{error}"

# Case map (services/case_map.py, components/case_map.py)


class MapWindow(StrEnum):
    """Time windows of the case map."""

    TODAY = "today"
    DAYS_7 = "7d"
    DAYS_30 = "30d"
    MONTH = "month"
    CUSTOM = "custom"


MAP_WINDOW_LABELS: dict[MapWindow, str] = {
    MapWindow.TODAY: "今日",
    MapWindow.DAYS_7: "近7天",
    MapWindow.DAYS_30: "近30天",
    MapWindow.MONTH: "本月",
    MapWindow.CUSTOM: "自定义",
}


class MapMeasure(StrEnum):
    """What colours the jurisdictions on the case map."""

    CASES = "cases"
    LOSS = "loss"
    PER_10K = "per_10k"


MAP_MEASURE_LABELS: dict[MapMeasure, str] = {
    MapMeasure.CASES: "案件数（起）",
    MapMeasure.LOSS: "损失金额（万元）",
    MapMeasure.PER_10K: "每万人案件数（起/万人）",
}
MAP_DEPTH_LABEL = "显示层级"
MAP_DEPTH_FALLBACK = "下{depth}级单位"
MAP_CUSTOM_RANGE_REQUIRED = "请选择自定义时段的起止日期。"
MAP_CUSTOM_TOO_LONG = "自定义时段最长 {days} 天。"
MAP_WINDOW_UNKNOWN = "未知的时间范围。"
MAP_BAD_PERIOD = "时段无效：起始时间须早于截止时间。"
MAP_BAD_DEPTH = "显示层级只能是下一级或下两级。"
MAP_BAD_LOSS_BAND = "损失金额区间无效。"
MAP_BAD_FRAUD_TYPE = "未知的诈骗类型。"
MAP_TIP_CASES = "案件 {cases:,} 起"
MAP_TIP_LOSS = "损失 {loss} 万元"
MAP_TIP_CHANGE = "环比 案件 {cases} · 损失 {loss}"
MAP_TIP_PER_10K = "每万人 {value} 起"
MAP_TIP_POPULATION_UNKNOWN = "人口未知"
MAP_TIP_UNLOCATED = "未定位 {count:,} 起"
MAP_TIP_CELL = "本格案件 {cases:,} 起\n损失 {loss} 万元"
MAP_TIP_POINT = "{fraud_type}\n损失 {loss} 万元"
MAP_LEGEND_NO_DATA = "无数据/人口未知"
MAP_LEGEND_BELOW = "< {upper}"
MAP_LEGEND_RANGE = "{lower} – {upper}"
MAP_LEGEND_ABOVE = "≥ {lower}"
MAP_LEGEND_MARKS_POINTS = "圆点：单起案件（大小表示损失金额）"
MAP_LEGEND_MARKS_GRID = "圆圈：网格汇总（约 {size} 米见方，大小表示案件数）"
MAP_LEGEND_UNLOCATED = "另有 {count:,} 起案件未定位（已计入所属单位，地图上不显示）"
MAP_DETAIL_TREND = "近 12 周趋势"
MAP_DETAIL_TYPES = "诈骗类型分布"
MAP_DETAIL_LARGEST = "损失最大的案件"
MAP_DETAIL_ACCOUNTABILITY = "未办结的问责事项"
MAP_DETAIL_INTERCEPTIONS = "网点阻截"
MAP_DETAIL_RECOVERED = "挽回金额"
MAP_COL_WEEK = "周（起始日）"
MAP_COL_DUE = "办理期限"
MAP_COL_LEVEL = "问责层级"
MAP_COL_INTERCEPTIONS = "阻截笔数"
MAP_COL_INTERCEPTED = "阻截金额(万元)"

# Case import file (services/case_file.py, services/case_cells.py): template columns, file and cell errors
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

# Accountability (services/accountability*.py, services/integrity.py, views/accountability.py, views/rules.py)


class ItemAction(StrEnum):
    """Steps in an accountability item's history."""

    RAISED = "raised"
    ESCALATED = "escalated"
    FLAGGED = "flagged"
    FLAG_KEPT = "flag_kept"
    FLAG_CLOSED = "flag_closed"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    CLOSED = "closed"
    UNIT_CHANGED = "unit_changed"


ITEM_ACTION_LABELS: dict[ItemAction, str] = {
    ItemAction.RAISED: "触发",
    ItemAction.ESCALATED: "升级",
    ItemAction.FLAGGED: "损失下调待复核",
    ItemAction.FLAG_KEPT: "复核后保留",
    ItemAction.FLAG_CLOSED: "复核后关闭",
    ItemAction.SUBMITTED: "提交说明",
    ItemAction.APPROVED: "审核通过",
    ItemAction.RETURNED: "退回",
    ItemAction.CLOSED: "关闭",
    ItemAction.UNIT_CHANGED: "改归单位",
}


class Decision(StrEnum):
    """The accountability decision recorded when a 100万-level item is closed (三步教育问责)."""

    REMINDER = "reminder"
    TALK = "talk"
    ADMONISH = "admonish"
    OTHER = "other"


DECISION_LABELS: dict[Decision, str] = {
    Decision.REMINDER: "打招呼",
    Decision.TALK: "谈话",
    Decision.ADMONISH: "告诫",
    Decision.OTHER: "其他",
}


class IntegrityKind(StrEnum):
    """Kinds of integrity flag (guarding against downgrading)."""

    BUNCHING = "bunching"
    DOWNWARD = "downward"
    RETYPED = "retyped"


INTEGRITY_KIND_LABELS: dict[IntegrityKind, str] = {
    IntegrityKind.BUNCHING: "损失金额集中在门槛之下",
    IntegrityKind.DOWNWARD: "损失下调跨过门槛",
    IntegrityKind.RETYPED: "改为非电信网络诈骗类型",
}

ACC_TRANSITION_REFUSED = "该事项当前状态为“{status}”，不能{action}。"
ACC_EXPLANATION_REQUIRED = "请填写情况说明（至少 {length} 个字）。"
ACC_PREVENTION_REQUIRED = "50万元以上须填写宣传防范工作倒查情况（至少 {length} 个字）。"
ACC_RETURN_REASON_REQUIRED = "退回须填写理由（至少 {length} 个字）。"
ACC_DECISION_REQUIRED = "100万元以上的事项关闭时须选择问责决定（打招呼、谈话、告诫或其他）。"
ACC_DECISION_NOTE_REQUIRED = "请填写问责决定的具体情况（至少 {length} 个字）。"
ACC_FLAG_REASON_REQUIRED = "请填写复核理由（至少 {length} 个字）。"
ACC_NOT_FLAGGED = "该事项没有待复核的损失下调。"
ACC_OWN_SUBMISSION = "不能审核本人提交的说明。"
ACC_TEXT_TOO_LONG = "内容过长：最多 {limit} 个字。"
ACC_ATTACHMENT_TOO_LARGE = "附件“{name}”超过 {mb} MB。"
ACC_ATTACHMENT_TOO_MANY = "附件最多 {count} 个。"
ACC_ATTACHMENT_EMPTY = "附件“{name}”是空文件。"
ACC_ATTACHMENT_NAME = "附件文件名无效。"
ACC_NOTE_RAISED = "损失 {loss} 万元，达到“{level}”。"
ACC_NOTE_ESCALATED = "损失由 {old} 万元增至 {new} 万元，由“{from_level}”升级为“{to_level}”，重新计算期限。"
ACC_NOTE_FLAGGED = "损失由 {old} 万元下调为 {new} 万元，低于“{level}”门槛 {threshold} 万元，请领导复核后关闭或保留。"
ACC_NOTE_UNIT_CHANGED = "案件改归“{unit}”。"
ACC_AUDIT_DETAIL = "问责事项 {item_id}（案件 {case_no}）：{action}"
ACC_ATTACHMENT_AUDIT = "下载问责附件“{name}”"

RULE_THRESHOLD_INVALID = "门槛金额须大于 0。"
RULE_THRESHOLD_ORDER = "{date} 起各级门槛须逐级递增：{levels}。"
RULE_ACTION_REQUIRED = "请填写要求的措施。"
RULE_RESPONSIBLE_REQUIRED = "请填写责任人。"
RULE_DEADLINE_INVALID = "期限须为 1–{days} 天。"
RULE_EFFECTIVE_PAST = "生效日期不能早于今天（{today}）：规则变更只对生效日以后接报的案件适用。"
RULE_EFFECTIVE_TAKEN = "“{level}”在 {date} 已有规则版本，请选择其他生效日期。"
RULE_REASON_REQUIRED = "请填写变更理由（至少 {length} 个字）。"
RULE_FIELD_TOO_LONG = "最多 {limit} 个字。"
RULE_AUDIT_DETAIL = "“{level}”新版本：{date} 起，门槛 {threshold} 万元，期限 {days} 天{retired}"
RULE_RETIRED_SUFFIX = "（停用）"

INTEGRITY_BUNCHING_DETAIL = ("{threshold} 万元门槛：{below_from}–{threshold} 万元 {below} 起，{threshold}–{above_to} 万元 "
                             "{above} 起；按全部数据的分布，门槛下方应约占 {expected:.0%}（精确二项检验 p={p:.1e}）")
INTEGRITY_DOWNWARD_DETAIL = "{count} 起案件的损失被下调到门槛以下"
INTEGRITY_RETYPED_DETAIL = "{count} 起案件由电信网络诈骗类型改为“其他”"

ACC_TITLE = "问责预警"
ACC_UNIT_TABLE = "各单位问责事项"
ACC_UNIT_COLUMNS = {
    "unit": "单位", "open_l10w": "未关闭·10万+", "open_l50w": "未关闭·50万+", "open_l100w": "未关闭·100万+",
    "overdue": "逾期(项)", "max_overdue": "最长逾期(天)", "needs_review": "待复核", "median_close": "关闭用时中位数(天)",
    "this_month": "本月新增", "last_month": "上月同期",
}
ACC_ITEM_COLUMNS = {
    "id": "编号", "case_no": "案件编号", "unit": "单位", "loss": "损失(万元)", "level": "级别", "status": "状态",
    "due": "期限", "overdue": "逾期(天)", "flag": "待复核", "raised": "触发日期",
}
ACC_FILTER_LEVEL = "级别"
ACC_FILTER_STATUS = "状态"
ACC_FILTER_ALL = "全部"
ACC_FILTER_OPEN = "仅未关闭"
ACC_FILTER_OVERDUE = "仅逾期"
ACC_FILTER_FLAGGED = "仅待复核"
ACC_ITEMS_OF = "{unit}：问责事项 {count} 项"
ACC_EMPTY = "没有符合条件的问责事项。"
ACC_SELECT_UNIT_HINT = "点击表格中的一行进入该单位。"
ACC_SELECT_ITEM_HINT = "点击一行查看事项详情。"
ACC_OVERDUE_NOTE = "期限按北京时间计算：期限当天提交不算逾期，次日起计逾期天数。逾期以红色显示。"
ACC_SUMMARY_OPEN = "未关闭事项"
ACC_SUMMARY_OVERDUE = "逾期事项"
ACC_SUMMARY_REVIEW = "待复核"
ACC_SUMMARY_MONTH = "本月新增"
ACC_BACK_TO_LIST = "返回列表"
ACC_DETAIL = "问责事项 {item_id}：案件 {case_no}"
ACC_FIELD_UNIT = "责任单位"
ACC_FIELD_LOSS = "损失金额"
ACC_FIELD_LEVEL = "级别"
ACC_FIELD_STATUS = "状态"
ACC_FIELD_ACTION = "要求措施"
ACC_FIELD_RESPONSIBLE = "责任人"
ACC_FIELD_DUE = "期限"
ACC_FIELD_RULE = "依据规则"
ACC_RULE_VERSION = "{date} 起施行的版本"
ACC_FIELD_ESCALATED = "由“{level}”升级"
ACC_FIELD_FLAG = "待复核"
ACC_FIELD_EXPLANATION = "情况说明"
ACC_FIELD_PREVENTION = "宣传防范工作倒查"
ACC_FIELD_REVIEW_NOTE = "审核意见"
ACC_FIELD_DECISION = "问责决定"
ACC_HISTORY = "处理记录"
ACC_HISTORY_COLUMNS = {"at": "时间", "username": "办理人", "action": "操作", "status": "状态变化", "note": "说明"}
ACC_ATTACHMENTS = "附件"
ACC_ATTACHMENTS_NONE = "无附件。"
ACC_ATTACHMENT_PREPARE = "下载"
ACC_ATTACHMENT_SAVE = "保存“{name}”"
ACC_FORM_SUBMIT = "提交情况说明"
ACC_FORM_EXPLANATION_HELP = "说明发案原因、查找出的问题和整改措施。"
ACC_FORM_PREVENTION_HELP = "对照下方倒查参考，说明本所案发前的宣传防范工作及存在的失职问题。"
ACC_FORM_FILES = "附件（扫描件、照片、会议记录等，每个不超过 {mb} MB）"
ACC_FORM_SEND = "提交"
ACC_FORM_REVIEW = "审核"
ACC_FORM_REVIEW_NOTE = "审核意见（退回时必填）"
ACC_APPROVE = "审核通过"
ACC_RETURN = "退回"
ACC_FORM_CLOSE = "关闭事项"
ACC_FORM_DECISION = "问责决定"
ACC_FORM_DECISION_NOTE = "决定内容（对象、时间、方式等）"
ACC_FORM_CLOSE_NOTE = "关闭说明"
ACC_CLOSE = "关闭"
ACC_FORM_FLAG = "损失下调复核"
ACC_FORM_FLAG_REASON = "复核理由"
ACC_FLAG_KEEP = "保留，继续办理"
ACC_FLAG_CLOSE = "关闭事项"
ACC_DONE = "已完成：{action}。"
ACC_INVALID = "有 {count} 处需要修改，未保存。"
ACC_PREVENTION_TITLE = "倒查参考：{unit}"
ACC_PREVENTION_ACTIVITIES = "案发前 90 天（{first} 至 {last}）宣传活动 {count} 次，覆盖 {people:,} 人、{households:,} 户，发放资料 {pieces:,} 份。"
ACC_PREVENTION_NO_ACTIVITIES = "案发前 90 天（{first} 至 {last}）没有登记宣传活动。"
ACC_PREVENTION_REACHED = "受害人是否接触过防诈宣传：{value}"
ACC_PREVENTION_EARLIER = "此前 12 个月本辖区同类（{type}）案件 {count} 起，损失合计 {loss} 万元。"
ACC_PREVENTION_ACTIVITY_COLUMNS = {"date": "日期", "outreach": "宣传类型", "channel": "方式", "people": "覆盖人数",
                                   "place": "地点"}
ACC_PREVENTION_CASE_COLUMNS = {"case_no": "案件编号", "reported": "接报日期", "loss": "损失(万元)"}
ACC_INTEGRITY_TITLE = "数据真实性监测（近 12 个月）"
ACC_INTEGRITY_NOTE = ("监测三类情况：损失金额异常集中在门槛之下（与全部数据的分布比较，精确二项检验 p<0.01 且至少 {min_cases} 起）、"
                      "损失下调跨过门槛、案件改为非电信网络诈骗类型。标记只提示核查，不代表认定。")
ACC_INTEGRITY_NONE = "未发现需要核查的情况。"
ACC_INTEGRITY_COLUMNS = {"unit": "单位", "kind": "类别", "detail": "情况", "cases": "涉及案件"}
ACC_VIEW_CASE = "在案件登记中查看"

RULES_TITLE = "问责规则"
RULES_NOTE = "规则变更只对接报日期在生效日及以后的案件适用；已触发的问责事项保留触发时的规则。"
RULES_CURRENT = "现行规则（{date}）"
RULES_VERSIONS = "全部版本"
RULES_COLUMNS = {
    "level": "级别", "threshold": "门槛(万元)", "action": "要求措施", "responsible": "责任人", "deadline": "期限(天)",
    "effective": "生效日期", "retired": "停用", "created_by": "修改人", "created_at": "修改时间", "reason": "变更理由",
}
RULES_NEW = "新增规则版本"
RULES_FIELD_LEVEL = "级别"
RULES_FIELD_THRESHOLD = "门槛金额（元）"
RULES_FIELD_THRESHOLD_HELP = "含本数：“10万元以上”即损失达到 100000.00 元。"
RULES_FIELD_ACTION = "要求措施"
RULES_FIELD_RESPONSIBLE = "责任人"
RULES_FIELD_DEADLINE = "期限（天）"
RULES_FIELD_EFFECTIVE = "生效日期"
RULES_FIELD_RETIRED = "自生效日起停用该级别"
RULES_FIELD_REASON = "变更理由"
RULES_SAVE = "保存新版本"
RULES_SAVED = "已新增“{level}”规则版本，{date} 起生效。"
RULES_NONE = "没有规则。"

# Case map page (views/map.py) and the copy-link control
MAP_TITLE = "案件地图"
MAP_FILTER_WINDOW = "时间范围"
MAP_FILTER_MEASURE = "着色指标"
MAP_DEPTH_OPTION = "按{label}"
MAP_SELECT = "查看辖区详情"
MAP_SELECT_NONE = "（点击地图或在此选择）"
MAP_SELECT_HINT = "点击地图上的辖区，或在右侧选择，查看该辖区详情。"
MAP_SUMMARY_CASES = "案件数（起）"
MAP_SUMMARY_LOSS = "损失金额（万元）"
MAP_SUMMARY_UNLOCATED = "未定位（起）"
MAP_SUMMARY_CAPTION = "统计口径：{start} 至 {end}（北京时间），对比 {prev_start} 至 {prev_end}。"
MAP_NO_UNITS = "该单位下没有可显示的辖区。"
MAP_NO_BOUNDARY = "以下辖区没有边界数据，地图上不显示，但计入合计：{names}"
MAP_SYNTHETIC = "派出所辖区边界为演示用合成数据，仅供演示。"
MAP_DETAIL_SUMMARY = "{name}：案件 {cases:,} 起，损失 {loss} 万元，挽回 {recovered} 万元"
MAP_COL_CASES = "案件数(起)"
MAP_COL_LOSS = "损失(万元)"
MAP_COL_SHARE = "占比"
MAP_DETAIL_NONE = "无"
COPY_LINK_LABEL = "本页链接"
COPY_LINK_BUTTON = "复制链接"
COPY_LINK_DONE = "已复制，可发送给同事（对方登录后只能看到其权限范围内的数据）。"
COPY_LINK_MANUAL = "浏览器不允许自动复制，已选中链接，请按 Ctrl+C 复制。"
COPY_LINK_HELP = "筛选条件和选中的辖区都保存在链接中，发给同事即可打开同一视图。"

# Jurisdiction import page (views/unit_import.py)
UNIT_IMPORT_TITLE = "辖区导入"
UNIT_IMPORT_INTRO = ("导入任意城市的辖区边界（GeoJSON）：按区划代码匹配已有单位（更新边界）或新建单位；"
                     "任何要素有问题时整个文件都不导入。旧区划代码可用对照表换成新代码。")
UNIT_IMPORT_FILE = "GeoJSON 文件"
UNIT_IMPORT_NAME_PROPERTY = "名称属性"
UNIT_IMPORT_CODE_PROPERTY = "代码属性"
UNIT_IMPORT_PARENT_PROPERTY = "上级代码属性（可选）"
UNIT_IMPORT_POPULATION_PROPERTY = "人口属性（可选）"
UNIT_IMPORT_PARENT = "挂接到上级单位"
UNIT_IMPORT_CROSSWALK = "新旧区划代码对照表（可选）"
UNIT_IMPORT_CROSSWALK_HELP = "CSV，两列：旧代码,新代码。例如 350625,350605（长泰县 → 长泰区）。"
UNIT_IMPORT_DATUM_REQUIRED = "请选择文件的坐标系：选错会使边界整体偏移约 500 米。"
UNIT_IMPORT_APPLY = "确认导入"
ACC_BACKFILL_AUDIT = "批量补录问责事项 {count} 条（批量写入的案件）"
OVERVIEW_OVERDUE_UNITS = "逾期最多的单位：{units}"

# Audit trail: what kind of record an entry is about
AUDIT_OBJECT_LABELS = {
    "accountability_item": "问责事项", "accountability_attachment": "问责附件", "accountability_rule": "问责规则",
    "app_user": "用户", "audit_log": "审计日志", "case_import": "案件导入", "desk_call": "来电",
    "fraud_case": "案件", "unit": "单位", "login_session": "登录会话",
}

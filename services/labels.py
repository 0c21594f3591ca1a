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
OVERVIEW_TABLE_TITLE = "各分局/县局本月情况"
OVERVIEW_TABLE_CAPTION = "统计口径：按北京时间；本月为 {start} 至 {end}，上月同期为 {prev_start} 至 {prev_end}。"
OVERVIEW_EMPTY = "数据库中还没有单位。请运行 `fanzha demo` 载入演示数据，或用 `fanzha import-units` 导入辖区。"
CHANGE_NEW = "新增"
UNIT_WAN_YUAN = "万元"
UNIT_CASES = "起"
UNIT_CALLS = "次"
DATA_AS_OF = "数据截至 {time}（北京时间）"
GENERIC_ERROR = "页面出错了，请稍后重试或联系系统管理员。"

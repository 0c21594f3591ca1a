"""The domain vocabulary of 反诈指挥台: stored codes with their Chinese labels (`FraudType.INVESTMENT.label`)."""

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A stored code (the member's str value) with its Chinese label."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[Self, str]:
        """Every member and its label, in declaration order (for pickers and legends)."""
        return {member: member.label for member in cls}

    @classmethod
    def label_of(cls, code: str, default: str | None = None) -> str | None:
        """The label of a stored code, or `default` for a code this enum does not know."""
        try:
            return cls(code).label
        except ValueError:
            return default


class FraudType(LabelledEnum):
    """The police platform's 12 telecom-fraud categories (CCL 2023) plus 其他."""

    REBATE = 'rebate', '刷单返利类'
    FAKE_CUSTOMER_SERVICE = 'fake_customer_service', '冒充电商物流客服类'
    INVESTMENT = 'investment', '虚假网络投资理财类'
    LOAN_CARD = 'loan_card', '贷款、代办信用卡类'
    CREDIT_RECORD = 'credit_record', '虚假征信类'
    SHOPPING_SERVICE = 'shopping_service', '虚假购物、服务类'
    FAKE_AUTHORITY = 'fake_authority', '冒充公检法及政府机关类'
    FAKE_ACQUAINTANCE = 'fake_acquaintance', '冒充领导、熟人类'
    GAME_TRADE = 'game_trade', '网络游戏产品虚假交易类'
    ROMANCE = 'romance', '网络婚恋、交友类'
    NET_BLACKMAIL = 'net_blackmail', '网黑案件'
    FAKE_MILITARY_PURCHASE = 'fake_military_purchase', '冒充军警购物类诈骗'
    OTHER = 'other', '其他'


class UnitKind(LabelledEnum):
    """Kinds of unit in the 市局 → 分局/县局 → 派出所 hierarchy."""

    CITY_BUREAU = 'city_bureau', '市局'
    DISTRICT_BUREAU = 'district_bureau', '分局/县局'
    STATION = 'station', '派出所'
    TEAM = 'team', '大队'
    COMMAND_CENTER = 'command_center', '指挥中心'
    PARTNER = 'partner', '协作单位'  # a non-police unit taking part in a campaign (村居委会、学校、银行网点、营业厅)


class CaseStatus(LabelledEnum):
    """Where a case stands."""

    REGISTERED = 'registered', '已立案'
    INVESTIGATING = 'investigating', '侦查中'
    SOLVED = 'solved', '已破案'
    CLOSED = 'closed', '已终止'


class ContactChannel(LabelledEnum):
    """How the fraudster reached the victim."""

    PHONE = 'phone', '电话'
    SMS = 'sms', '短信'
    WECHAT = 'wechat', '微信'
    QQ = 'qq', 'QQ'
    APP = 'app', 'APP'
    WEBSITE = 'website', '网站'
    OTHER = 'other', '其他'


class PaymentChannel(LabelledEnum):
    """How the victim paid."""

    BANK_TRANSFER = 'bank_transfer', '银行卡转账'
    ALIPAY = 'alipay', '支付宝'
    WECHAT_PAY = 'wechat_pay', '微信'
    ATM = 'atm', 'ATM'
    CASH = 'cash', '现金'
    OTHER = 'other', '其他'


class Gender(LabelledEnum):
    """Victim or caller gender."""

    MALE = 'male', '男'
    FEMALE = 'female', '女'


class CallType(LabelledEnum):
    """Kinds of call at the 110 anti-fraud expert desk."""

    REPORT = 'report', '报警'
    CONSULT = 'consult', '咨询'
    TIPOFF = 'tipoff', '举报'


class CallOutcome(LabelledEnum):
    """What came of a call."""

    DISSUADED = 'dissuaded', '劝阻成功'
    TO_CASE = 'to_case', '已被骗转立案'
    LEAD_LOGGED = 'lead_logged', '线索已录入'
    ANSWERED = 'answered', '咨询答复'
    OTHER = 'other', '其他'


class IdentifierKind(LabelledEnum):
    """Kinds of identifier captured from calls and cases."""

    PHONE = 'phone', '电话号码'
    BANK_ACCOUNT = 'bank_account', '银行账户'
    URL = 'url', '网址'
    APP = 'app', 'APP'
    QQ = 'qq', 'QQ号'
    WECHAT = 'wechat', '微信号'
    ID_CARD = 'id_card', '身份证号'


class Outreach(LabelledEnum):
    """The "八进" (and more) places propaganda goes into."""

    SCHOOL = 'school', '进校园'
    COMMUNITY = 'community', '进社区'
    FACTORY = 'factory', '进工厂'
    RESIDENTIAL = 'residential', '进小区'
    MALL = 'mall', '进商场'
    HOSPITAL = 'hospital', '进医院'
    ENTERPRISE = 'enterprise', '进企业'
    VILLAGE = 'village', '进村屯'
    AGENCY = 'agency', '进机关'
    BANK = 'bank', '进银行'
    TELECOM_HALL = 'telecom_hall', '进营业厅'
    FAMILY = 'family', '进家庭'
    HOTEL = 'hotel', '进宾馆'
    NET_CAFE = 'net_cafe', '进网吧'
    MARKET = 'market', '进农贸市场'


class ActivityChannel(LabelledEnum):
    """Propaganda channels."""

    BANNER = 'banner', '横幅'
    POSTER = 'poster', '海报'
    LEAFLET = 'leaflet', '折页'
    DISPLAY_BOARD = 'display_board', '展板'
    LED_TV = 'led_tv', 'LED/电视'
    LECTURE = 'lecture', '讲座/培训'
    PUSH = 'push', '公众号/微信/短信推送'
    HOME_VISIT = 'home_visit', '入户走访'
    PLEDGE = 'pledge', '签名承诺'
    OPEN_LETTER = 'open_letter', '公开信'
    MEDIA = 'media', '报纸/广播/电视'
    BRIEFING = 'briefing', '警情通报会'


class TargetKind(LabelledEnum):
    """How a campaign target is measured."""

    COUNT = 'count', '次数/数量'
    COVERAGE = 'coverage', '覆盖率'
    SURVEY = 'survey', '调查知晓率'
    TASK = 'task', '限时任务'
    OUTCOME = 'outcome', '成效（案件数据）'


class TargetPeriod(LabelledEnum):
    """The period a count target is set for, per unit."""

    MONTH = 'month', '每月'
    WEEK = 'week', '每周'
    CAMPAIGN = 'campaign', '活动期内'


class CountMeasure(LabelledEnum):
    """What a count or coverage target adds up over the activities."""

    ACTIVITIES = 'activities', '活动次数'
    PEOPLE = 'people', '受众人数'
    HOUSEHOLDS = 'households', '覆盖户数'
    PIECES = 'pieces', '发放/张贴数量'


class OutcomeMeasure(LabelledEnum):
    """What an outcome target compares with the same period of the previous year: 发案/损失 from the case table
    (should go down), 破案/抓获/冻结/返还 as 打击挽损 counts them (should go up)."""

    INCIDENTS = 'incidents', '发案数'
    LOSS = 'loss', '损失金额'
    SOLVED = 'solved', '破案数'
    ARRESTED = 'arrested', '抓获数'
    FROZEN = 'frozen', '冻结金额'
    RETURNED = 'returned', '返还金额'

    @property
    def good_when_up(self) -> bool:
        """Whether the target asks for a rise (≥ +x%) rather than a drop (≤ -x%)."""
        return self not in (OutcomeMeasure.INCIDENTS, OutcomeMeasure.LOSS)

    @property
    def is_money(self) -> bool:
        """Whether the figure is an amount in fen (shown in 万元) rather than a count."""
        return self in (OutcomeMeasure.LOSS, OutcomeMeasure.FROZEN, OutcomeMeasure.RETURNED)

    @property
    def from_strike(self) -> bool:
        """Whether the figure comes from the 打击挽损 records rather than the case register's reports."""
        return self.good_when_up


class Audience(LabelledEnum):
    """Who a propaganda activity was aimed at."""

    ELDERLY = 'elderly', '老年人'
    STUDENT = 'student', '学生'
    FINANCE_STAFF = 'finance_staff', '财会人员'
    EMPLOYEE = 'employee', '企业员工'
    MIGRANT_WORKER = 'migrant_worker', '外出务工人员'
    OTHER = 'other', '其他'


class Light(LabelledEnum):
    """The traffic light of a target for a unit."""

    GREEN = 'green', '达标/进度正常'
    AMBER = 'amber', '稍有落后'
    RED = 'red', '落后'
    GREY = 'grey', '暂无数据'


class TaskState(LabelledEnum):
    """Where a one-off (deadline) task stands for a unit."""

    DONE = 'done', '已完成'
    DUE = 'due', '未到期'
    OVERDUE = 'overdue', '已逾期'


class AccountabilityLevel(LabelledEnum):
    """Single-case loss threshold levels."""

    L10W = 'l10w', '10万元以上'
    L50W = 'l50w', '50万元以上'
    L100W = 'l100w', '100万元以上'


class CampaignConsequence(LabelledEnum):
    """What falling behind in a campaign raises in the accountability workflow (the plans' 打招呼/谈话/告诫)."""

    WARN = 'warn', '打招呼'
    TALK = 'talk', '谈话'
    ADMONISH = 'admonish', '告诫'


class ItemSource(LabelledEnum):
    """Where an accountability item comes from: a case over a loss threshold, or a campaign a unit fell behind in."""

    CASE = 'case', '案件'
    CAMPAIGN = 'campaign', '专项行动'


class InspectionState(LabelledEnum):
    """Where a 督导 finding stands: still to fix, past its fix-by date, or fixed."""

    OPEN = 'open', '待整改'
    OVERDUE = 'overdue', '逾期未整改'
    FIXED = 'fixed', '已整改'


class ItemStatus(LabelledEnum):
    """Workflow states of an accountability item."""

    PENDING = 'pending', '待说明'
    SUBMITTED = 'submitted', '已提交说明'
    APPROVED = 'approved', '已审核通过'
    RETURNED = 'returned', '退回'
    CLOSED = 'closed', '已关闭'


class Role(LabelledEnum):
    """User roles."""

    ADMIN = 'admin', '系统管理员'
    LEADER = 'leader', '局领导'
    COMMAND = 'command', '指挥中心'
    DESK = 'desk', '专家席民警'
    CLERK = 'clerk', '单位填报员'
    WALL = 'wall', '大屏'


class CaseSource(LabelledEnum):
    """Where a case record came from."""

    MANUAL = 'manual', '手工'
    IMPORT = 'import', '导入'
    CALL = 'call', '来电转立案'
    DEMO = 'demo', '演示'


class AuditAction(LabelledEnum):
    """What an audit record says happened."""
    SESSION_RESUMED = "session_resumed", "恢复会话"

    LOGIN = 'login', '登录'
    LOGIN_FAILED = 'login_failed', '登录失败'
    LOGOUT = 'logout', '退出'
    CREATE = 'create', '新增'
    UPDATE = 'update', '修改'
    DELETE = 'delete', '删除'
    EXPORT = 'export', '导出'
    UNMASK = 'unmask', '查看完整信息'
    DENIED = 'denied', '拒绝访问'
    IMPORT = 'import', '导入'


class Datum(LabelledEnum):
    """Coordinate datum of an imported boundary file (stored boundaries are always WGS84)."""

    WGS84 = 'wgs84', 'WGS84（GPS、天地图）'
    GCJ02 = 'gcj02', 'GCJ-02（高德、腾讯）'


class ImportAction(LabelledEnum):
    """What importing one feature does to its unit."""

    CREATE = 'create', '新增'
    UPDATE = 'update', '更新'
    UNCHANGED = 'unchanged', '未变'


class MapWindow(LabelledEnum):
    """Time windows of the case map."""

    TODAY = 'today', '今日'
    DAYS_7 = '7d', '近7天'
    DAYS_30 = '30d', '近30天'
    MONTH = 'month', '本月'
    CUSTOM = 'custom', '自定义'


class MapMeasure(LabelledEnum):
    """What colours the jurisdictions on the case map."""

    CASES = 'cases', '案件数（起）'
    LOSS = 'loss', '损失金额（万元）'
    PER_10K = 'per_10k', '每万人案件数（起/万人）'


class ItemAction(LabelledEnum):
    """Steps in an accountability item's history."""

    RAISED = 'raised', '触发'
    ESCALATED = 'escalated', '升级'
    FLAGGED = 'flagged', '损失下调待复核'
    FLAG_KEPT = 'flag_kept', '复核后保留'
    FLAG_CLOSED = 'flag_closed', '复核后关闭'
    SUBMITTED = 'submitted', '提交说明'
    APPROVED = 'approved', '审核通过'
    RETURNED = 'returned', '退回'
    CLOSED = 'closed', '关闭'
    UNIT_CHANGED = 'unit_changed', '改归单位'


class Decision(LabelledEnum):
    """The accountability decision recorded when a 100万-level item is closed (三步教育问责)."""

    REMINDER = 'reminder', '打招呼'
    TALK = 'talk', '谈话'
    ADMONISH = 'admonish', '告诫'
    OTHER = 'other', '其他'


class IntegrityKind(LabelledEnum):
    """Kinds of integrity flag (guarding against downgrading)."""

    BUNCHING = 'bunching', '损失金额集中在门槛之下'
    DOWNWARD = 'downward', '损失下调跨过门槛'
    RETYPED = 'retyped', '改为非电信网络诈骗类型'


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

OCCUPATIONS: tuple[str, ...] = (
    "企业职员", "个体经营", "学生", "务农", "退休人员", "无业", "公职人员", "自由职业", "财会人员", "其他",
)

EDUCATION_LEVELS: tuple[str, ...] = ("小学及以下", "初中", "高中/中专", "大专", "本科", "研究生")

ECONOMIC_STATUSES: tuple[str, ...] = ("困难", "一般", "较好", "富裕")


# ---------------------------------------------------------------- 打击与挽损 (issue 15)

class SolvedHow(LabelledEnum):
    """How a case was solved (破案方式)."""

    LOCAL = 'local', '本地破案'
    ASSISTED = 'assisted', '异地协破'
    MINISTRY = 'ministry', '部督'


class RecoveryStatus(LabelledEnum):
    """Where a 止付/冻结/返还 request stands."""

    REQUESTED = 'requested', '已申请止付'
    STOPPED = 'stopped', '已止付'
    FROZEN = 'frozen', '已冻结'
    RETURNED = 'returned', '已返还'
    FAILED = 'failed', '资金已转出'


class DissuasionOutcome(LabelledEnum):
    """What came of a 劝阻."""

    STOPPED = 'stopped', '已劝阻'
    PAID = 'paid', '已被骗'
    UNREACHABLE = 'unreachable', '无法联系'


class InterceptionOutcome(LabelledEnum):
    """What came of a bank-counter 阻截."""

    STOPPED = 'stopped', '成功阻截'
    PARTIAL = 'partial', '部分阻截'
    FAILED = 'failed', '未能阻截'


class IdentifierActionKind(LabelledEnum):
    """Where an identifier was reported from (报送), or what was done to it (封停)."""

    BANK_REPORT = 'bank_report', '银行报送'
    OPERATOR_REPORT = 'operator_report', '运营商报送'
    PLATFORM_REPORT = 'platform_report', '平台报送'
    SUSPENDED = 'suspended', '封停'

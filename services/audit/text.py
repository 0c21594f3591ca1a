"""Chinese text of the audit trail: page, export headers, object kinds."""

AUDIT_TITLE = "审计日志"
AUDIT_FILTER_USER = "用户名"
AUDIT_FILTER_ACTION = "操作"
AUDIT_FILTER_FROM = "起始日期"
AUDIT_FILTER_TO = "截止日期"
AUDIT_TOTAL = "共 {total:,} 条（显示最新 {shown:,} 条）"
AUDIT_EXPORT_PREPARE = "生成导出文件"
AUDIT_EXPORT_DOWNLOAD = "下载 CSV"
AUDIT_RETENTION_NOTE = "审计记录只可追加，系统不提供修改或删除途径（保存期不少于 180 天）。"
CLI_USERNAME = "cli"  # the audit trail's user name for the fanzha command line
AUDIT_OBJECT_LABELS = {
    "accountability_item": "问责事项", "accountability_attachment": "问责附件", "accountability_rule": "问责规则",
    "app_user": "用户", "audit_log": "审计日志", "case_import": "案件导入", "desk_call": "来电",
    "fraud_case": "案件", "unit": "单位", "login_session": "登录会话", "activity": "宣传活动", "campaign": "专项行动",
    "campaign_base": "覆盖基数", "campaign_inspection": "督导检查", "campaign_ranking": "排名通报",
    "campaign_report": "进展报送", "campaign_rollup": "汇总报告", "campaign_survey": "知晓率调查",
    "campaign_task_done": "限时任务", "ranking_weights": "排名权重", "wall_device": "大屏设备",
}
# Audit details of failed logins and of lifting a lock-out (the user sees only LOGIN_FAILED).
AUDIT_DETAIL_UNKNOWN_USER = "用户不存在"
AUDIT_DETAIL_INACTIVE = "账号已停用"
AUDIT_DETAIL_WRONG_PASSWORD = "密码错误"
AUDIT_DETAIL_NOW_LOCKED = "该地址连续 {attempts} 次密码错误，账号在该地址锁定 {minutes} 分钟"
AUDIT_DETAIL_LOCKED = "账号在该地址锁定中"
AUDIT_DETAIL_ADDRESS_BLOCKED = "该地址 {minutes} 分钟内登录失败 {attempts} 次以上，暂停登录"
AUDIT_DETAIL_UNLOCK = "解除锁定"
AUDIT_DETAIL_PASSWORD_RESET = "重置密码"

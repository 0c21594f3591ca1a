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
    "fraud_case": "案件", "unit": "单位", "login_session": "登录会话",
}

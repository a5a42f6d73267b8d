"""Component ids of the board, in one place: pages, callbacks and the browser tests use these names."""

from __future__ import annotations

# frame (every page)
ERROR = "board-error"
NAV = "board-nav"
SAMPLE_BANNER = "sample-banner"
URL = "board-url"
USER_NAME = "board-user-name"
USER_ROLE = "board-user-role"
SIGN_OUT = "board-sign-out"

# 总览 cockpit
COCKPIT_PERIOD = "cockpit-period"
COCKPIT_SET = "cockpit-set"
COCKPIT_REGION = "cockpit-region"
COCKPIT_CONTENT = "cockpit-content"
COCKPIT_CARDS = "cockpit-cards"
COCKPIT_COUNTS = "cockpit-counts"
COCKPIT_BRIEFING = "cockpit-briefing"
COCKPIT_BRIEFING_DOWNLOAD = "cockpit-briefing-download"

# 指标一览
LIST_PERIOD = "list-period"
LIST_SET = "list-set"
LIST_REGION = "list-region"
LIST_CATEGORY = "list-category"
LIST_DEPARTMENT = "list-department"
LIST_STATUS = "list-status"
LIST_GRID = "list-grid"
LIST_EXPORT = "list-export"
LIST_DOWNLOAD = "list-download"
LIST_SUMMARY = "list-summary"
LIST_SORT = "list-sort"

# 指标详情
DETAIL_CODE = "detail-code"
DETAIL_PERIOD = "detail-period"
DETAIL_REGION = "detail-region"
DETAIL_CONTENT = "detail-content"
DETAIL_GROWTH = "detail-growth"
DETAIL_COMPLETION = "detail-completion"
DETAIL_FORECAST = "detail-forecast"
DETAIL_FLOWS = "detail-flows"
DETAIL_FIGURES = "detail-figures"
DETAIL_ALERTS = "detail-alerts"

# 预警
ALERTS_STATUS = "alerts-status"
ALERTS_SEVERITY = "alerts-severity"
ALERTS_DEPARTMENT = "alerts-department"
ALERTS_GRID = "alerts-grid"
ALERTS_BY = "alerts-by"
ALERTS_NOTE = "alerts-note"
ALERTS_ACK = "alerts-ack"
ALERTS_MESSAGE = "alerts-message"
ALERTS_SELECTED = "alerts-selected"

# 数据导入
IMPORT_DEPARTMENT = "import-department"
IMPORT_UPLOAD = "import-upload"
IMPORT_PENDING = "import-pending"
IMPORT_RESULT = "import-result"
IMPORT_ERRORS = "import-errors"
IMPORT_LOG = "import-log"
IMPORT_TEMPLATE_PERIOD = "import-template-period"
IMPORT_TEMPLATE = "import-template"
IMPORT_TEMPLATE_DOWNLOAD = "import-template-download"

# 排名
RANK_INDICATOR = "rank-indicator"
RANK_PERIOD = "rank-period"
RANK_GROUP = "rank-group"
RANK_CHART = "rank-chart"
RANK_TABLE = "rank-table"
RANK_SUMMARY = "rank-summary"

# 重点项目
PROJECTS_PERIOD = "projects-period"
PROJECTS_LEVEL = "projects-level"
PROJECTS_CATEGORY = "projects-category"
PROJECTS_DEPARTMENT = "projects-department"
PROJECTS_STREET = "projects-street"
PROJECTS_STATUS = "projects-status"
PROJECTS_GROUP = "projects-group"
PROJECTS_SUMMARY = "projects-summary"
PROJECTS_TABLE = "projects-table"
PROJECTS_SUBTOTALS = "projects-subtotals"
PROJECTS_PROBLEMS = "projects-problems"
PROJECTS_UPLOAD = "projects-upload"
PROJECTS_UPLOAD_RESULT = "projects-upload-result"
PROBLEM_ID = "problem-id"
PROBLEM_STATE = "problem-state"
PROBLEM_NOTE = "problem-note"
PROBLEM_SAVE = "problem-save"
PROBLEM_MESSAGE = "problem-message"

# 重点工作
TASKS_PERIOD = "tasks-period"
TASKS_DEPARTMENT = "tasks-department"
TASKS_STATUS = "tasks-status"
TASKS_SUMMARY = "tasks-summary"
TASKS_TABLE = "tasks-table"

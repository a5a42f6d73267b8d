"""The 登录 page: plain server-rendered HTML (no script), every value escaped."""

from __future__ import annotations

from markupsafe import escape

__all__ = ["login_html"]


def login_html(title: str, *, message: str = "", notice: str = "", next_path: str = "/", username: str = "") -> str:
    """The sign-in form; `message` an error (red), `notice` information (no users yet, signed out, expired)."""
    error = f'<div class="error-box" role="alert" id="login-message">{escape(message)}</div>' if message else ""
    info = f'<div class="sample-banner" id="login-notice">{escape(notice)}</div>' if notice else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · {escape(title)}</title>
<link rel="stylesheet" href="/assets/board.css">
</head>
<body>
<div class="frame">
<header class="topbar"><div class="brand">{escape(title)}</div></header>
<main class="page login-page">
<h1>登录</h1>
{info}{error}
<form method="post" action="/login" class="login-form" autocomplete="off">
<input type="hidden" name="next" value="{escape(next_path)}">
<label class="control"><span class="control-label">用户名</span>
<input id="login-username" name="username" type="text" value="{escape(username)}" required autofocus></label>
<label class="control"><span class="control-label">密码</span>
<input id="login-password" name="password" type="password" required></label>
<button id="login-submit" type="submit" class="button">登录</button>
</form>
<p class="muted">账户由管理员在服务器上用 monitor users add 创建；连续 5 次密码错误账户将被暂时锁定。</p>
</main>
</div>
</body>
</html>
"""

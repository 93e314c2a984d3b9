# The `web` image: Limber under gunicorn, as an unprivileged user.
FROM python:3.11-slim AS deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1
# The same uv release and lock file as `make`; keep UV_VERSION in step with the Makefile.
RUN pip install uv==0.13.8
WORKDIR /src
COPY pyproject.toml uv.lock .python-version ./
# Only the locked runtime packages here, so this layer is rebuilt only when they change.
RUN uv sync --locked --no-install-project

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LIMBER_ENV=production \
    PORT=8000
RUN useradd --system --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin limber
COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY backend ./backend
COPY migrations ./migrations
COPY frontend ./frontend
COPY deploy ./deploy
# The upload spool shared by web and worker (a named volume in Compose takes this owner).
RUN mkdir -p /var/lib/limber/imports && chown -R limber /var/lib/limber
USER limber
EXPOSE 8000
STOPSIGNAL SIGTERM
CMD ["sh", "deploy/start-web.sh"]

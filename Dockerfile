# The `web` image: Limber under gunicorn, as an unprivileged user.
FROM python:3.12-slim AS deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY pyproject.toml /tmp/pyproject.toml
# Only the pinned dependencies here, so this layer is rebuilt only when they change.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && /opt/venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.12-slim
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
USER limber
EXPOSE 8000
STOPSIGNAL SIGTERM
CMD ["sh", "deploy/start-web.sh"]

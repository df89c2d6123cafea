# certcheck as a container image: the wheel, installed, and nothing of the source tree.
# The Procfile's processes are this image with another command:
#   release: docker run --rm -e DATABASE_URL=... certcheck db upgrade
#   web:     docker run -e DATABASE_URL=... -e SLACK_... -p 3000:3000 certcheck            (serve --no-nightly)
#   nightly: docker run -e DATABASE_URL=... -e SLACK_... certcheck nightly
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY checks checks
COPY migrations migrations
RUN pip wheel --no-cache-dir --no-deps -w /dist .

FROM python:3.11-slim
COPY --from=build /dist /dist
# The postgres extra brings psycopg: a container usually shares a PostgreSQL rather than a SQLite file.
RUN pip install --no-cache-dir "$(ls /dist/certcheck-*.whl)[postgres]" && rm -rf /dist \
    && useradd --create-home --uid 10001 certcheck
USER certcheck
WORKDIR /home/certcheck
ENV PORT=3000 CERTCHECK_HOST=0.0.0.0
EXPOSE 3000
ENTRYPOINT ["certcheck"]
CMD ["serve", "--no-nightly"]

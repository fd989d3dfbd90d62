"""The hello-world baseline of ``bench/http_load.py``: a Flask app that answers GET / with a small
JSON body and does nothing else, served by the same gunicorn settings as the product, so the
product's requests per second can be read as a share of what the server and clients manage alone."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return {"hello": "world"}


@app.get("/healthz")
def healthz():
    return "ok"

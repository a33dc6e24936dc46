"""What the server scripts share: a JSON call to the running aflix-server."""
import json
import urllib.request


def call(url, method="GET", body=None, token=None, timeout=30):
    """The status and JSON body of `method url` with the JSON `body` and a bearer `token`.

    Raises urllib's HTTPError for a non-2xx answer and URLError when the server is unreachable.
    """
    request = urllib.request.Request(url, method=method)
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, json.loads(response.read() or b"{}")

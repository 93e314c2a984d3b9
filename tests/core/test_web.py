"""The PWA is served from frontend/ by the same app as the API."""


class TestFrontend:
    def test_the_shell_is_served_at_the_root_and_by_name(self, client):
        for path in ("/", "/index.html"):
            with client.get(path) as response:
                assert response.status_code == 200, path
                assert b"<!doctype html>" in response.data.lower()
                assert response.headers["Cache-Control"] == "no-cache"

    def test_app_routes_fall_back_to_the_shell(self, client):
        with client.get("/progress") as response:
            assert response.status_code == 200
            assert response.mimetype == "text/html"

    def test_the_service_worker_may_control_the_whole_app(self, client):
        with client.get("/sw.js") as response:
            assert response.status_code == 200
            assert response.headers["Service-Worker-Allowed"] == "/"

    def test_a_missing_file_is_404_not_the_shell(self, client):
        response = client.get("/js/nothing-here.js")
        assert response.status_code == 404
        assert response.is_json

    def test_paths_cannot_escape_the_frontend_folder(self, client):
        response = client.get("/../pyproject.toml")
        assert response.status_code == 404 or b"[project]" not in response.data
        assert b"[project]" not in client.get("/%2e%2e/pyproject.toml").data

    def test_unknown_api_paths_never_get_the_shell(self, client):
        response = client.get("/api/v1/settings")
        assert response.status_code == 404
        assert response.is_json

package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestTodoCRUD(t *testing.T) {
	t.Parallel()
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})

	assert.Empty(t, listTodos(t, srv.URL), "a new database has no todos")

	first := postTodo(t, srv.URL, "  buy milk \n")
	second := postTodo(t, srv.URL, "しくみがわかる Kubernetes を読む")
	assert.Equal(t, "buy milk", first.Text, "text is trimmed")
	assert.False(t, first.ID.IsZero())
	assert.False(t, first.CreatedAt.IsZero())

	todos := listTodos(t, srv.URL)
	require.Len(t, todos, 2)
	assert.Equal(t, []Todo{first, second}, todos, "listed oldest first, as created")

	res, body := do(t, http.MethodDelete, srv.URL+"/api/todos/"+first.ID.Hex(), "", "")
	assert.Equal(t, http.StatusNoContent, res.StatusCode)
	assert.Empty(t, body)
	assert.Equal(t, []Todo{second}, listTodos(t, srv.URL))

	res, body = do(t, http.MethodDelete, srv.URL+"/api/todos/"+first.ID.Hex(), "", "")
	assert.Equal(t, http.StatusNotFound, res.StatusCode, "deleting twice")
	assert.JSONEq(t, `{"error":"not found"}`, string(body))
}

func TestCreateAnswersWithTheCreatedTodoOnly(t *testing.T) {
	t.Parallel()
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})
	postTodo(t, srv.URL, "one")

	res, body := do(t, http.MethodPost, srv.URL+"/api/todos", "application/json", `{"text":"two"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode)
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got), "an object, not the list: %s", body)
	assert.Equal(t, "two", got["text"])
	assert.Regexp(t, `^[0-9a-f]{24}$`, got["_id"], "_id is the hex ObjectID, as the original app")
	assert.Equal(t, "/api/todos/"+got["_id"].(string), res.Header.Get("Location"))
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})
	existing := postTodo(t, srv.URL, "keep me")

	const jsonCT = "application/json"
	cases := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		wantStatus  int
		wantError   string
	}{
		{"no content type", "POST", "/api/todos", "", `{"text":"a"}`, 415, "Content-Type must be application/json"},
		{"form content type", "POST", "/api/todos", "application/x-www-form-urlencoded", `text=a`, 415, "Content-Type must be application/json"},
		{"text/plain", "POST", "/api/todos", "text/plain", `{"text":"a"}`, 415, "Content-Type must be application/json"},
		{"broken content type", "POST", "/api/todos", "application/json; =", `{"text":"a"}`, 415, "Content-Type must be application/json"},
		{"empty body", "POST", "/api/todos", jsonCT, ``, 400, "body must be a JSON object"},
		{"malformed JSON", "POST", "/api/todos", jsonCT, `{"text":`, 400, "malformed JSON"},
		{"not an object", "POST", "/api/todos", jsonCT, `["a"]`, 400, "body must be a JSON object"},
		{"a bare string", "POST", "/api/todos", jsonCT, `"a"`, 400, "body must be a JSON object"},
		{"trailing data", "POST", "/api/todos", jsonCT, `{"text":"a"} {"text":"b"}`, 400, "body must hold a single JSON object"},
		{"trailing garbage", "POST", "/api/todos", jsonCT, `{"text":"a"}x`, 400, "body must hold a single JSON object"},
		{"unknown field", "POST", "/api/todos", jsonCT, `{"text":"a","done":true}`, 400, `unknown field "done"`},
		{"client-chosen id", "POST", "/api/todos", jsonCT, `{"_id":"6b11a5c9b0a9be8439edf7ce","text":"a"}`, 400, `unknown field "_id"`},
		{"text missing", "POST", "/api/todos", jsonCT, `{}`, 400, "text is required"},
		{"text null", "POST", "/api/todos", jsonCT, `{"text":null}`, 400, "text is required"},
		{"text a number", "POST", "/api/todos", jsonCT, `{"text":42}`, 400, "text must be a string"},
		{"text an object", "POST", "/api/todos", jsonCT, `{"text":{"$gt":""}}`, 400, "text must be a string"},
		{"text empty", "POST", "/api/todos", jsonCT, `{"text":""}`, 400, "text must not be empty"},
		{"text only spaces", "POST", "/api/todos", jsonCT, `{"text":" \t\n\u3000 "}`, 400, "text must not be empty"},
		{"text 501 characters", "POST", "/api/todos", jsonCT, `{"text":"` + strings.Repeat("あ", 501) + `"}`, 400, "text must be at most 500 characters, got 501"},
		{"body over the limit", "POST", "/api/todos", jsonCT, `{"text":"` + strings.Repeat("a", maxBodyBytes) + `"}`, 413, "body must be at most 16384 bytes"},
		{"malformed id", "DELETE", "/api/todos/not-an-id", "", "", 400, "malformed id: want 24 hexadecimal characters"},
		{"id too short", "DELETE", "/api/todos/" + existing.ID.Hex()[:23], "", "", 400, "malformed id: want 24 hexadecimal characters"},
		{"absent id", "DELETE", "/api/todos/000000000000000000000000", "", "", 404, "not found"},
		{"delete the collection", "DELETE", "/api/todos", "", "", 405, "method not allowed"},
		{"put", "PUT", "/api/todos/" + existing.ID.Hex(), jsonCT, `{"text":"b"}`, 405, "method not allowed"},
		{"unknown API path", "GET", "/api/nothing", "", "", 404, "not found"},
		{"unknown page", "GET", "/admin.php", "", "", 404, "not found"},
		{"post to the page", "POST", "/", jsonCT, `{}`, 405, "method not allowed"},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				res, body := do(t, tc.method, srv.URL+tc.path, tc.contentType, tc.body)
				assert.Equal(t, tc.wantStatus, res.StatusCode, "body: %s", body)
				assert.Equal(t, "application/json; charset=utf-8", res.Header.Get("Content-Type"))
				assert.JSONEq(t, `{"error":`+mustJSON(t, tc.wantError)+`}`, string(body))
			})
		}
	})
	// The parallel cases have all finished here.
	assert.Equal(t, []Todo{existing}, listTodos(t, srv.URL), "nothing bad was stored or deleted")
}

func TestTextLimitCountsCharactersNotBytes(t *testing.T) {
	t.Parallel()
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})
	text := strings.Repeat("あ", maxTextRunes) // 1,500 bytes
	got := postTodo(t, srv.URL, "  "+text+"  ")
	assert.Equal(t, text, got.Text)
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})
	for _, path := range []string{"/", "/app.js", "/api/todos", "/api/info", "/healthz", "/readyz", "/nothing"} {
		t.Run(path, func(t *testing.T) {
			res, _ := do(t, http.MethodGet, srv.URL+path, "", "")
			csp := res.Header.Get("Content-Security-Policy")
			assert.Contains(t, csp, "default-src 'self'")
			assert.Contains(t, csp, "frame-ancestors 'none'")
			assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
			assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"))
			assert.Equal(t, "no-referrer", res.Header.Get("Referrer-Policy"))
		})
	}
}

func TestProbesAndInfo(t *testing.T) {
	t.Parallel()
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})

	res, body := do(t, http.MethodGet, srv.URL+"/healthz", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.JSONEq(t, `{"status":"ok"}`, string(body))

	res, body = do(t, http.MethodGet, srv.URL+"/readyz", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.JSONEq(t, `{"status":"ok"}`, string(body))

	res, body = do(t, http.MethodGet, srv.URL+"/api/info", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.JSONEq(t, `{"pod":"todoapp-7d4b9-x2k","namespace":"default","node":"aks-default-123-vmss000001","cluster":"tm99-k8sbook-ch08-aks-primary"}`, string(body))
}

func TestStaticPage(t *testing.T) {
	t.Parallel()
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})

	res, body := do(t, http.MethodGet, srv.URL+"/", "", "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	page := string(body)
	for _, id := range []string{"todo-count", "todo-list", "todo-form", "todo-text", "todo-add", "info-pod", "info-node", "info-cluster"} {
		assert.Contains(t, page, `id="`+id+`"`)
	}
	assert.NotContains(t, page, "<script>", "no inline script (the CSP forbids it)")
	assert.NotRegexp(t, `(src|href)="(https?:)?//`, page, "nothing from another origin")

	res, _ = do(t, http.MethodGet, srv.URL+"/app.js", "", "")
	assert.Equal(t, "text/javascript; charset=utf-8", res.Header.Get("Content-Type"))
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/app.js", nil)
	require.NoError(t, err)
	req.Header.Set("If-None-Match", etag)
	res2, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res2.Body.Close()
	assert.Equal(t, http.StatusNotModified, res2.StatusCode, "a browser revalidates cheaply")
}

func TestErrorStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"invalid", invalidf("x"), 400},
		{"not found", ErrNotFound, 404},
		{"unsupported media", ErrUnsupportedMedia, 415},
		{"too large", ErrTooLarge, 413},
		{"database down", unavailable("find", assert.AnError), 503},
		{"anything else", assert.AnError, 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, errorStatus(tc.err))
		})
	}
	assert.Equal(t, "database unavailable", errorMessage(unavailable("find", assert.AnError)), "no internals for clients")
	assert.Equal(t, "internal error", errorMessage(assert.AnError))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// Documents written by the book's original Node.js app ({_id, text, __v},
// no createdAt) list as they are.
func TestListsDocumentsOfTheOriginalApp(t *testing.T) {
	t.Parallel()
	srv, store := newTestApp(t, startDB(t), StoreOptions{})
	id := bson.NewObjectID()
	_, err := store.coll.InsertOne(t.Context(), bson.D{{Key: "_id", Value: id}, {Key: "text", Value: "from the Node.js app"}, {Key: "__v", Value: 0}})
	require.NoError(t, err)

	res, body := do(t, http.MethodGet, srv.URL+"/api/todos", "", "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.JSONEq(t, `[{"_id":"`+id.Hex()+`","text":"from the Node.js app"}]`, string(body))
}

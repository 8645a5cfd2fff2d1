package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchApp is the real handler over a real FerretDB, with a logger that
// formats every request line as production does but writes nowhere.
func benchApp(b *testing.B, seed int) http.Handler {
	b.Helper()
	db := startDB(b)
	store, err := OpenStore(db.URI(), StoreOptions{})
	require.NoError(b, err)
	b.Cleanup(func() { _ = store.Close(b.Context()) })
	for i := range seed {
		_, err := store.Create(b.Context(), fmt.Sprintf("todo number %d", i))
		require.NoError(b, err)
	}
	return NewServer(store, Info{Pod: "bench"}, slog.New(slog.NewJSONHandler(discard{}, nil)))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func serveOnce(b *testing.B, h http.Handler, method, target, body string, want int) {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %s", method, target, rec.Code, want, rec.Body)
	}
}

// BenchmarkListTodos100 lists 100 todos (includes FerretDB's own work, which
// runs in this process).
func BenchmarkListTodos100(b *testing.B) {
	h := benchApp(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		serveOnce(b, h, http.MethodGet, "/api/todos", "", http.StatusOK)
	}
}

// BenchmarkCreateTodo inserts one todo per iteration.
func BenchmarkCreateTodo(b *testing.B) {
	h := benchApp(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		serveOnce(b, h, http.MethodPost, "/api/todos", `{"text":"benchmark"}`, http.StatusCreated)
	}
}

// BenchmarkStaticPage serves the embedded page (no database involved).
func BenchmarkStaticPage(b *testing.B) {
	h := benchApp(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		serveOnce(b, h, http.MethodGet, "/", "", http.StatusOK)
	}
}

// BenchmarkDecodeNewTodo is the request decoding alone.
func BenchmarkDecodeNewTodo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/todos", strings.NewReader(`{"text":"  benchmark  "}`))
		req.Header.Set("Content-Type", "application/json")
		if _, err := decodeNewTodo(httptest.NewRecorder(), req); err != nil {
			b.Fatal(err)
		}
	}
}

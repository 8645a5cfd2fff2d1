package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDatabaseDownAndRecovery stops the real database mid-test: the API
// must answer 503 quickly (every call has a deadline), /readyz must fail,
// /healthz must not, and once the database is back on the same data and
// port the app must recover by itself, data intact.
func TestDatabaseDownAndRecovery(t *testing.T) {
	t.Parallel()
	const dbTimeout = time.Second
	db := startDB(t)
	srv, _ := newTestApp(t, db, StoreOptions{Timeout: dbTimeout})
	kept := postTodo(t, srv.URL, "survives the outage")

	db.Stop()

	cases := []struct {
		name, method, path, contentType, body string
	}{
		{"list", http.MethodGet, "/api/todos", "", ""},
		{"create", http.MethodPost, "/api/todos", "application/json", `{"text":"while down"}`},
		{"delete", http.MethodDelete, "/api/todos/" + kept.ID.Hex(), "", ""},
		{"readiness", http.MethodGet, "/readyz", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name+" while down", func(t *testing.T) {
			start := time.Now()
			res, body := do(t, tc.method, srv.URL+tc.path, tc.contentType, tc.body)
			elapsed := time.Since(start)
			assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode, "body: %s", body)
			assert.JSONEq(t, `{"error":"database unavailable"}`, string(body))
			assert.Less(t, elapsed, dbTimeout+2*time.Second, "bounded by the database deadline, not hanging")
		})
	}
	res, _ := do(t, http.MethodGet, srv.URL+"/healthz", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode, "liveness never depends on the database")

	db.restart(t)

	require.Eventually(t, func() bool {
		res, _ := do(t, http.MethodGet, srv.URL+"/readyz", "", "")
		return res.StatusCode == http.StatusOK
	}, 30*time.Second, 100*time.Millisecond, "ready again once the database is back")
	assert.Equal(t, []Todo{kept}, listTodos(t, srv.URL), "same data after the restart, nothing written while down")
	added := postTodo(t, srv.URL, "after the outage")
	assert.Equal(t, []Todo{kept, added}, listTodos(t, srv.URL))
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/k8sbook/k8sbook/todo/internal/devdb"
)

// testDB is a real MongoDB-wire server: FerretDB with SQLite files in a
// temporary folder, on a free loopback port.
type testDB struct {
	*devdb.DB
	dir string
}

// startDB starts FerretDB for one test and stops it when the test ends.
func startDB(t testing.TB) *testDB {
	t.Helper()
	dir := t.TempDir()
	db, err := devdb.Start(dir, "127.0.0.1:0", testLogger(t).With("component", "ferretdb"))
	require.NoError(t, err)
	tdb := &testDB{DB: db, dir: dir}
	t.Cleanup(func() { tdb.Stop() })
	return tdb
}

// restart starts FerretDB again on the same data folder and port.
func (db *testDB) restart(t testing.TB) {
	t.Helper()
	addr := db.Addr()
	var (
		next *devdb.DB
		err  error
	)
	// The port was just released; retry briefly in case it isn't yet.
	require.Eventually(t, func() bool {
		next, err = devdb.Start(db.dir, addr, testLogger(t).With("component", "ferretdb"))
		return err == nil
	}, 5*time.Second, 50*time.Millisecond, "restart FerretDB on %s: %v", addr, err)
	db.DB = next
}

// testLogger writes to the test's output, shown for failing tests and -v.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// newTestApp serves NewServer over httptest against db.
func newTestApp(t testing.TB, db *testDB, o StoreOptions) (*httptest.Server, *Store) {
	t.Helper()
	store, err := OpenStore(db.URI(), o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close(t.Context()) })
	info := Info{Pod: "todoapp-7d4b9-x2k", Namespace: "default", Node: "aks-default-123-vmss000001", Cluster: "tm99-k8sbook-ch08-aks-primary"}
	srv := httptest.NewServer(NewServer(store, info, testLogger(t)))
	t.Cleanup(srv.Close)
	return srv, store
}

// do sends a request and returns the response with its body read.
func do(t testing.TB, method, url, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, b
}

func postTodo(t testing.TB, base, text string) Todo {
	t.Helper()
	body, err := json.Marshal(map[string]string{"text": text})
	require.NoError(t, err)
	res, b := do(t, http.MethodPost, base+"/api/todos", "application/json", string(body))
	require.Equal(t, http.StatusCreated, res.StatusCode, "body: %s", b)
	var todo Todo
	require.NoError(t, json.Unmarshal(b, &todo))
	return todo
}

func listTodos(t testing.TB, base string) []Todo {
	t.Helper()
	res, b := do(t, http.MethodGet, base+"/api/todos", "", "")
	require.Equal(t, http.StatusOK, res.StatusCode, "body: %s", b)
	var todos []Todo
	require.NoError(t, json.NewDecoder(bytes.NewReader(b)).Decode(&todos))
	return todos
}

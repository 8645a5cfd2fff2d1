package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer collects run's log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// startRun runs the real run function (as main does) and returns the address
// it listens on, its log and the channel its result arrives on.
func startRun(t *testing.T, ctx context.Context, env map[string]string) (string, *syncBuffer, <-chan error) {
	t.Helper()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, envFrom(env), out) }()
	var addr string
	require.Eventually(t, func() bool {
		for line := range strings.Lines(out.String()) {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				addr = rec.Addr
				return true
			}
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, out)
		default:
		}
		return false
	}, 10*time.Second, 10*time.Millisecond, "run did not start listening")
	return addr, out, done
}

// beginPost opens a connection and sends a POST whose body is cut short,
// so the request stays in flight until finish is called.
func beginPost(t *testing.T, addr, body string) (conn net.Conn, finish func() *http.Response) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = fmt.Fprintf(conn, "POST /api/todos HTTP/1.1\r\nHost: todo\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:5])
	require.NoError(t, err)
	return conn, func() *http.Response {
		_, err := io.WriteString(conn, body[5:])
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		return res
	}
}

func TestRunDrainsInFlightRequestsOnShutdown(t *testing.T) {
	t.Parallel()
	db := startDB(t)
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	addr, logs, done := startRun(t, ctx, map[string]string{"PORT": "0", "MONGO_URL": db.URI(), "SHUTDOWN_TIMEOUT": "10s"})

	_, finish := beginPost(t, addr, `{"text":"in flight during SIGTERM"}`)
	time.Sleep(200 * time.Millisecond) // let the handler start reading the body

	stop() // what SIGTERM does through signal.NotifyContext in main

	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	}, 5*time.Second, 10*time.Millisecond, "stops accepting new connections")
	select {
	case err := <-done:
		t.Fatalf("run returned (%v) while a request was in flight", err)
	case <-time.After(300 * time.Millisecond):
	}

	res := finish()
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	assert.Equal(t, http.StatusCreated, res.StatusCode, "the in-flight request completes: %s", body)
	assert.Contains(t, string(body), "in flight during SIGTERM")

	select {
	case err := <-done:
		assert.NoError(t, err, "a clean shutdown returns nil (exit 0)")
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after the last request finished")
	}
	assert.Contains(t, logs.String(), `"msg":"stopped"`)
}

func TestRunShutdownIsBounded(t *testing.T) {
	t.Parallel()
	db := startDB(t)
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	addr, _, done := startRun(t, ctx, map[string]string{"PORT": "0", "MONGO_URL": db.URI(), "SHUTDOWN_TIMEOUT": "300ms"})

	beginPost(t, addr, `{"text":"never finished"}`) // a client that stalls
	time.Sleep(100 * time.Millisecond)
	stop()

	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "did not finish in 300ms")
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown is not bounded by SHUTDOWN_TIMEOUT")
	}
}

// With SHUTDOWN_DELAY the server keeps answering for a while after the
// signal, so clients routed to it before Kubernetes updated the Service's
// endpoints aren't refused.
func TestRunKeepsServingDuringShutdownDelay(t *testing.T) {
	t.Parallel()
	db := startDB(t)
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	addr, logs, done := startRun(t, ctx, map[string]string{"PORT": "0", "MONGO_URL": db.URI(), "SHUTDOWN_DELAY": "1s"})

	stop()
	require.Eventually(t, func() bool {
		return strings.Contains(logs.String(), "still serving")
	}, 5*time.Second, 10*time.Millisecond)
	res, err := http.Get("http://" + addr + "/api/todos")
	require.NoError(t, err, "a new connection during the delay is served")
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after the delay")
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"no MONGO_URL", map[string]string{}, "MONGO_URL is required"},
		{"MONGO_URL not a connection string", map[string]string{"MONGO_URL": "https://user:hunter2@example.invalid/db"}, "MONGO_URL is not a valid MongoDB connection string"},
		{"MONGO_URL with a bad port", map[string]string{"MONGO_URL": "mongodb://user:hunter2@db:99999/db"}, "MONGO_URL is not a valid MongoDB connection string"},
		{"bad SHUTDOWN_TIMEOUT", map[string]string{"MONGO_URL": "mongodb://127.0.0.1:1/", "SHUTDOWN_TIMEOUT": "soon"}, "SHUTDOWN_TIMEOUT must be a positive duration"},
		{"bad SHUTDOWN_DELAY", map[string]string{"MONGO_URL": "mongodb://127.0.0.1:1/", "SHUTDOWN_DELAY": "-1s"}, "SHUTDOWN_DELAY must be a duration"},
		{"bad LOG_LEVEL", map[string]string{"MONGO_URL": "mongodb://127.0.0.1:1/", "LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"bad PORT", map[string]string{"MONGO_URL": "mongodb://127.0.0.1:1/", "PORT": "http"}, `PORT must be a port number, got "http"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := &syncBuffer{}
			err := run(t.Context(), envFrom(tc.env), out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.NotContains(t, err.Error()+out.String(), "hunter2", "the secret never shows")
		})
	}
}

// TestSecretNeverLogged runs the app against a database that isn't there,
// with credentials in MONGO_URL, and checks every log line.
func TestSecretNeverLogged(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port with nothing behind it once closed
	require.NoError(t, err)
	dead := ln.Addr().String()
	ln.Close()

	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	url := "mongodb://k8sbook:c2VjcmV0LWNvc21vcy1rZXk=@" + dead + "/todoapp?connectTimeoutMS=300&serverSelectionTimeoutMS=300"
	addr, logs, done := startRun(t, ctx, map[string]string{"PORT": "0", "MONGO_URL": url, "LOG_LEVEL": "debug"})
	for _, path := range []string{"/api/todos", "/readyz"} {
		res, err := http.Get("http://" + addr + path)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	}
	stop()
	require.NoError(t, <-done)
	assert.Contains(t, logs.String(), "request failed", "the failure is logged")
	assert.NotContains(t, logs.String(), "c2VjcmV0LWNvc21vcy1rZXk")
}

func TestDatabaseName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url, mongoDB, want string
	}{
		{"default", "mongodb://127.0.0.1:27017/", "", "todoapp"},
		{"no path", "mongodb://127.0.0.1:27017", "", "todoapp"},
		{"from the URL path", "mongodb://u:p@a.documents.azure.com:10255/books?ssl=true", "", "books"},
		{"MONGO_DB wins", "mongodb://127.0.0.1:27017/books", "k8sbook", "k8sbook"},
		{"Cosmos DB style URL", "mongodb://acct:key==@acct.documents.azure.com:10255/?ssl=true&replicaSet=globaldb&retrywrites=false", "", "todoapp"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := OpenStore(tc.url, StoreOptions{Database: tc.mongoDB})
			require.NoError(t, err)
			t.Cleanup(func() { _ = s.Close(context.Background()) })
			assert.Equal(t, tc.want, s.coll.Database().Name())
			assert.Equal(t, "todos", s.coll.Name())
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url, msg, secret string
	}{
		{"whole URL", "mongodb://u:pw123@h/db", "bad uri mongodb://u:pw123@h/db", "pw123"},
		{"password alone", "mongodb://u:pw123@h/db", "auth failed for pw123", "pw123"},
		{"escaped password", "mongodb://u:a%2Fb%3D@h/db", "saw a%2Fb%3D and a/b=", "a/b="},
		{"several hosts", "mongodb://u:pw123@h1:1,h2:2/db", "parse: u:pw123 bad", "pw123"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := redact(tc.msg, tc.url)
			assert.NotContains(t, got, tc.secret)
			assert.NotContains(t, got, "a%2Fb%3D")
		})
	}
}

// Package devdb runs an embedded MongoDB-compatible server — FerretDB with its
// SQLite backend — inside the current process. It is for local development
// (the todo-local build) and for tests only: the production binary never
// imports it, so none of it ends up in the container image.
package devdb

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// DB is a running embedded server.
type DB struct {
	uri    string
	addr   string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start runs FerretDB on addr (for example "127.0.0.1:0") storing its data
// as SQLite files under dir, which is created if needed. Starting again with
// the same dir (and, if wanted, the same address) brings back the same data.
// A nil logger discards FerretDB's logs.
func Start(dir, addr string, logger *slog.Logger) (*DB, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return nil, fmt.Errorf("start FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	db := &DB{uri: f.MongoDBURI(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(db.done)
		_ = f.Run(ctx) // always nil
	}()
	// The listener is open once New returns; keep its address for restarts.
	host, port, err := hostPort(db.uri)
	if err != nil {
		db.Stop()
		return nil, err
	}
	db.addr = net.JoinHostPort(host, port)
	return db, nil
}

// URI is the mongodb:// address of the server (no credentials, no database).
func (db *DB) URI() string { return db.uri }

// Addr is the host:port the server listens on.
func (db *DB) Addr() string { return db.addr }

// Stop closes the listener and every client connection and waits until the
// server has stopped. It is safe to call more than once.
func (db *DB) Stop() {
	db.cancel()
	<-db.done
}

func hostPort(uri string) (string, string, error) {
	const prefix = "mongodb://"
	if len(uri) < len(prefix) || uri[:len(prefix)] != prefix {
		return "", "", fmt.Errorf("unexpected FerretDB URI %q", uri)
	}
	rest := uri[len(prefix):]
	for i, c := range rest {
		if c == '/' {
			rest = rest[:i]
			break
		}
	}
	return net.SplitHostPort(rest)
}

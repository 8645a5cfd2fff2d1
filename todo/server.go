package main

import (
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
)

const (
	maxBodyBytes  = 16 << 10 // a todo is at most 500 runes; JSON escapes fit easily
	maxTextRunes  = 500
	readyzTimeout = time.Second
)

//go:embed web
var webFS embed.FS

// Info says which pod, namespace, node and cluster serve the page; the
// Kubernetes Deployment sets it through the downward API.
type Info struct {
	Pod       string `json:"pod"`
	Namespace string `json:"namespace"`
	Node      string `json:"node"`
	Cluster   string `json:"cluster"`
}

type server struct {
	store  *Store
	info   Info
	logger *slog.Logger
}

// NewServer returns the whole HTTP surface of the app: the API, the probes
// and the embedded page, wrapped in logging, security headers and panic
// recovery.
func NewServer(store *Store, info Info, logger *slog.Logger) http.Handler {
	s := &server{store: store, info: info, logger: logger}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/todos", s.listTodos)
	mux.HandleFunc("POST /api/todos", s.createTodo)
	mux.HandleFunc("DELETE /api/todos/{id}", s.deleteTodo)
	mux.HandleFunc("GET /api/info", s.getInfo)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /", s.staticHandler())

	return s.logRequests(securityHeaders(s.recoverPanics(jsonMuxErrors(mux))))
}

// jsonMuxErrors answers requests that match no route (404, or 405 with its
// Allow header) with a JSON error instead of the mux's plain text.
func jsonMuxErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		c := &headerCapture{header: http.Header{}}
		h.ServeHTTP(c, r)
		if allow := c.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		msg := "not found"
		if c.status == http.StatusMethodNotAllowed {
			msg = "method not allowed"
		}
		writeJSON(w, cmp.Or(c.status, http.StatusNotFound), errorBody{msg})
	})
}

// headerCapture records what the mux's own error handler would send.
type headerCapture struct {
	header http.Header
	status int
}

func (c *headerCapture) Header() http.Header         { return c.header }
func (c *headerCapture) Write(b []byte) (int, error) { return len(b), nil }
func (c *headerCapture) WriteHeader(status int)      { c.status = status }

func (s *server) listTodos(w http.ResponseWriter, r *http.Request) {
	todos, err := s.store.List(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	views := make([]todoJSON, len(todos))
	for i, t := range todos {
		views[i] = t.view()
	}
	writeJSON(w, http.StatusOK, views)
}

func (s *server) createTodo(w http.ResponseWriter, r *http.Request) {
	text, err := decodeNewTodo(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	todo, err := s.store.Create(r.Context(), text)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/todos/"+todo.ID.Hex())
	writeJSON(w, http.StatusCreated, todo.view())
}

func (s *server) deleteTodo(w http.ResponseWriter, r *http.Request) {
	id, err := bson.ObjectIDFromHex(r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, invalidf("malformed id: want 24 hexadecimal characters"))
		return
	}
	if err := s.store.Delete(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) getInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.info)
}

// healthz says the process is alive; it never touches the database, so a
// database outage doesn't make Kubernetes restart healthy pods.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says the database answers; while it doesn't, Kubernetes (and the
// Traffic Manager through the Service) send traffic elsewhere.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Ping(r.Context(), readyzTimeout); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// decodeNewTodo reads a POST /api/todos body: JSON only, at most
// maxBodyBytes, exactly one object with exactly the field "text", whose
// trimmed value has 1 to 500 characters. Every failure is a client error.
func decodeNewTodo(w http.ResponseWriter, r *http.Request) (string, error) {
	var in struct {
		Text *string `json:"text"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return "", err
	}
	if in.Text == nil {
		return "", invalidf("text is required")
	}
	text := strings.TrimSpace(*in.Text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", invalidf("text must not be empty")
	case n > maxTextRunes:
		return "", invalidf("text must be at most %d characters, got %d", maxTextRunes, n)
	}
	return text, nil
}

// decodeJSON decodes one JSON value from the body into dst, rejecting other
// content types, oversized bodies, unknown fields and trailing data.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &clientError{kind: ErrUnsupportedMedia, msg: "Content-Type must be application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return decodeError(err)
		}
		return invalidf("body must hold a single JSON object")
	}
	return nil
}

func decodeError(err error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return &clientError{kind: ErrTooLarge, msg: fmt.Sprintf("body must be at most %d bytes", maxBodyBytes)}
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field != "" {
			return invalidf("%s must be a %s", te.Field, strings.TrimPrefix(te.Type.String(), "*"))
		}
		return invalidf("body must be a JSON object")
	}
	if errors.Is(err, io.EOF) {
		return invalidf("body must be a JSON object")
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return invalidf("unknown field %s", field)
	}
	return invalidf("malformed JSON")
}

type errorBody struct {
	Error string `json:"error"`
}

// writeError answers with {"error": ...} and the status errorStatus picks.
// Server-side failures are logged with their cause; clients never see it.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := errorStatus(err)
	if status >= 500 {
		s.logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	writeJSON(w, status, errorBody{errorMessage(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// staticHandler serves the embedded page with strong ETags, so browsers
// revalidate cheaply.
func (s *server) staticHandler() http.Handler {
	sub, err := fs.Sub(webFS, "web")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	etags := map[string]string{}
	_ = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		etags["/"+path] = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		return nil
	})
	etags["/"] = etags["/index.html"]
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tag, ok := etags[r.URL.Path]
		if !ok {
			s.writeError(w, r, ErrNotFound)
			return
		}
		w.Header().Set("ETag", tag)
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeNewTodo checks that no request body or content type makes the
// decoding of POST /api/todos panic or answer with anything but a client
// error, and that whatever it accepts is valid text. The seed corpus runs
// with plain `go test`; `go test -fuzz=FuzzDecodeNewTodo` explores further.
func FuzzDecodeNewTodo(f *testing.F) {
	seeds := []struct{ contentType, body string }{
		{"application/json", `{"text":"buy milk"}`},
		{"application/json; charset=utf-8", `{"text":"  しくみがわかる Kubernetes  "}`},
		{"application/json", `{"text":""}`},
		{"application/json", `{"text":null}`},
		{"application/json", `{"text":1}`},
		{"application/json", `{"text":"a","x":1}`},
		{"application/json", `{"text":"a"}{}`},
		{"application/json", `[]`},
		{"application/json", `{"text":"\ud800"}`},
		{"application/json", "{\"text\":\"\xff\xfe\"}"},
		{"application/json", `{"TEXT":"case-insensitive match"}`},
		{"application/json", `{"text":"` + strings.Repeat("あ", 501) + `"}`},
		{"application/json", `{"text":"` + strings.Repeat("a", maxBodyBytes) + `"}`},
		{"text/plain", `{"text":"a"}`},
		{"", ``},
		{"application/json;;", `{`},
	}
	for _, s := range seeds {
		f.Add(s.contentType, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/todos", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		text, err := decodeNewTodo(httptest.NewRecorder(), req)
		if err != nil {
			if status := errorStatus(err); status < 400 || status >= 500 {
				t.Fatalf("status %d for %q %q: %v", status, contentType, body, err)
			}
			if errorMessage(err) == "" {
				t.Fatalf("empty error message for %q %q", contentType, body)
			}
			return
		}
		n := utf8.RuneCountInString(text)
		if n < 1 || n > maxTextRunes {
			t.Fatalf("accepted %d characters from %q", n, body)
		}
		if text != strings.TrimSpace(text) {
			t.Fatalf("accepted untrimmed text %q", text)
		}
		if len(body) > maxBodyBytes {
			t.Fatalf("accepted a body of %d bytes", len(body))
		}
	})
}

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromiumPath finds the browser: $CHROMIUM, else Debian's chromium. In CI
// (CI set) a missing browser fails the test; elsewhere it skips with a hint.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "headless Chromium not found (install Debian's chromium: apt-get install -y chromium, or set CHROMIUM)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; the browser test must run in CI")
	}
	t.Skip(msg)
	return ""
}

// newBrowser starts headless Chromium with a fresh profile and no network
// chatter (this machine's network is closed) and returns a tab's context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// TestBrowserAddListDelete drives the real page in headless Chromium, served
// with its real CSP by the real server over FerretDB.
func TestBrowserAddListDelete(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	srv, _ := newTestApp(t, startDB(t), StoreOptions{})

	waitCount := func(want int) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](
			fmt.Sprintf(`document.getElementById("todo-count").textContent === "%d"`, want),
			chromedp.WithPollingTimeout(10*time.Second)))
		require.NoError(t, err, "count never became %d", want)
	}
	listed := func() []string {
		t.Helper()
		texts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("#todo-list .todo-text"), e => e.textContent)`))
		require.NoError(t, err)
		return texts
	}
	add := func(text string) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("todo-text"), text),
			chromedp.Click(chromedp.ID("todo-add")),
		))
	}

	// Collect console errors, uncaught exceptions and CSP violations.
	require.NoError(t, chromedp.Do(ctx)) // starts the browser and the tab
	var (
		mu       sync.Mutex
		problems []string
	)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(chromedp.ID("todo-form")),
	))
	title, err := chromedp.Run(ctx, chromedp.Title())
	require.NoError(t, err)
	assert.Equal(t, "ToDo App", title)
	waitCount(0)

	add("buy milk")
	waitCount(1)
	add("しくみがわかる Kubernetes を読む")
	waitCount(2)
	assert.Equal(t, []string{"buy milk", "しくみがわかる Kubernetes を読む"}, listed())
	value, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("todo-text")))
	require.NoError(t, err)
	assert.Empty(t, value, "the form is cleared after adding")

	// Which pod, node and cluster served the page (how failover shows).
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`document.getElementById("info-pod").textContent !== "-"`, chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "info never arrived")
	for id, want := range map[string]string{
		"info-pod":     "todoapp-7d4b9-x2k",
		"info-node":    "aks-default-123-vmss000001",
		"info-cluster": "tm99-k8sbook-ch08-aks-primary",
	} {
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		require.NoError(t, err)
		assert.Equal(t, want, got, id)
	}

	// Checking a todo deletes it, as in the original.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#todo-list li:first-child input[type=checkbox]"))))
	waitCount(1)
	assert.Equal(t, []string{"しくみがわかる Kubernetes を読む"}, listed())
	stored := listTodos(t, srv.URL)
	require.Len(t, stored, 1, "the delete reached the database")
	assert.Equal(t, "しくみがわかる Kubernetes を読む", stored[0].Text)

	// A reload shows what the database holds.
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
	waitCount(1)
	assert.Equal(t, []string{"しくみがわかる Kubernetes を読む"}, listed())

	mu.Lock()
	assert.Empty(t, problems, "the page runs without console errors or CSP violations")
	mu.Unlock()

	if path := os.Getenv("TODO_SCREENSHOT"); path != "" {
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, png, 0o644))
	}
}

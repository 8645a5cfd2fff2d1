package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

const (
	defaultDatabase = "todoapp"
	collectionName  = "todos"
	// maxList bounds the list so one request can't read an unbounded
	// collection into memory.
	maxList = 5000
)

// Todo is one item, as stored (collection "todos") and as served.
type Todo struct {
	ID        bson.ObjectID `bson:"_id" json:"_id"`
	Text      string        `bson:"text" json:"text"`
	CreatedAt time.Time     `bson:"createdAt,omitempty" json:"createdAt,omitzero"`
}

// todoJSON is the wire form of a Todo: {"_id": "<hex>", "text": ...,
// "createdAt": "<RFC 3339>"}. Plain strings encode much faster than the
// MarshalJSON methods of ObjectID and time.Time, which matters for lists.
type todoJSON struct {
	ID        string `json:"_id"`
	Text      string `json:"text"`
	CreatedAt string `json:"createdAt,omitempty"`
}

func (t Todo) view() todoJSON {
	v := todoJSON{ID: t.ID.Hex(), Text: t.Text}
	if !t.CreatedAt.IsZero() {
		v.CreatedAt = t.CreatedAt.UTC().Format(time.RFC3339Nano)
	}
	return v
}

// Store keeps todos in a MongoDB-compatible database (Cosmos DB for MongoDB
// in Azure). Every call runs under its own deadline, so a database that is
// down makes calls fail fast with ErrUnavailable instead of hanging; the
// driver reconnects by itself when the database comes back.
type Store struct {
	client  *mongo.Client
	coll    *mongo.Collection
	timeout time.Duration
}

// StoreOptions tune the store; zero values take the defaults.
type StoreOptions struct {
	Database string        // "" = the database in the URL path, else "todoapp"
	Timeout  time.Duration // deadline for each database call (default 2s)
}

// OpenStore prepares a client for mongoURL. It does not wait for the
// database: the server starts (and reports not ready) while the database is
// unreachable. Errors never contain the URL or its credentials.
func OpenStore(mongoURL string, o StoreOptions) (*Store, error) {
	cs, err := connstring.ParseAndValidate(mongoURL)
	if err != nil {
		return nil, fmt.Errorf("MONGO_URL is not a valid MongoDB connection string: %s", redact(err.Error(), mongoURL))
	}
	db := o.Database
	if db == "" {
		db = cs.Database
	}
	if db == "" {
		db = defaultDatabase
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	// Defaults first: options given in the URL win.
	opts := options.Client().
		SetAppName("k8sbook-todo").
		SetConnectTimeout(timeout).
		SetServerSelectionTimeout(timeout).
		ApplyURI(mongoURL)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("MongoDB client: %s", redact(err.Error(), mongoURL))
	}
	return &Store{client: client, coll: client.Database(db).Collection(collectionName), timeout: timeout}, nil
}

// Close disconnects, waiting at most until ctx is done.
func (s *Store) Close(ctx context.Context) error {
	return s.client.Disconnect(ctx)
}

// Ping checks that the database answers within d (or the store's timeout).
func (s *Store) Ping(ctx context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, min(d, s.timeout))
	defer cancel()
	if err := s.client.Ping(ctx, nil); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// List returns the todos, oldest first.
func (s *Store) List(ctx context.Context) ([]Todo, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	cur, err := s.coll.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(maxList))
	if err != nil {
		return nil, unavailable("find", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	todos := make([]Todo, 0, 16)
	for cur.Next(ctx) {
		todos = append(todos, todoFromRaw(cur.Current))
	}
	if err := cur.Err(); err != nil {
		return nil, unavailable("find", err)
	}
	return todos, nil
}

// todoFromRaw reads the three fields straight from the BSON document. It
// is several times cheaper than the driver's reflection-based decoding,
// which allocates a buffered reader per document, and it tolerates
// documents written by the book's original app ({_id, text, __v}).
func todoFromRaw(doc bson.Raw) Todo {
	var t Todo
	if v, err := doc.LookupErr("_id"); err == nil {
		t.ID, _ = v.ObjectIDOK()
	}
	if v, err := doc.LookupErr("text"); err == nil {
		t.Text, _ = v.StringValueOK()
	}
	if v, err := doc.LookupErr("createdAt"); err == nil {
		if ms, ok := v.DateTimeOK(); ok {
			t.CreatedAt = time.UnixMilli(ms).UTC()
		}
	}
	return t
}

// Create inserts a todo with the given (already validated) text.
func (s *Store) Create(ctx context.Context, text string) (Todo, error) {
	t := Todo{ID: bson.NewObjectID(), Text: text, CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if _, err := s.coll.InsertOne(ctx, t); err != nil {
		return Todo{}, unavailable("insert", err)
	}
	return t, nil
}

// Delete removes the todo with id; ErrNotFound when there is none.
func (s *Store) Delete(ctx context.Context, id bson.ObjectID) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	res, err := s.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return unavailable("delete", err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("todo %s: %w", id.Hex(), ErrNotFound)
	}
	return nil
}

// redact removes a connection string and its password from s, so that an
// error about MONGO_URL can be logged without leaking the secret.
func redact(s, mongoURL string) string {
	if mongoURL == "" {
		return s
	}
	s = strings.ReplaceAll(s, mongoURL, "[MONGO_URL]")
	if u, err := url.Parse(mongoURL); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			s = strings.ReplaceAll(s, pw, "[redacted]")
			if esc := url.QueryEscape(pw); esc != pw {
				s = strings.ReplaceAll(s, esc, "[redacted]")
			}
		}
	} else if at := strings.LastIndex(mongoURL, "@"); at > 0 {
		// Not parseable as a URL (several hosts, bad escapes): drop
		// whatever sits between the scheme and the last '@'.
		creds := mongoURL[:at]
		if i := strings.Index(creds, "://"); i >= 0 {
			creds = creds[i+3:]
		}
		if creds != "" {
			s = strings.ReplaceAll(s, creds, "[redacted]")
			if _, pw, ok := strings.Cut(creds, ":"); ok && pw != "" {
				s = strings.ReplaceAll(s, pw, "[redacted]")
			}
		}
	}
	return s
}

// Package classroom seeds the demo classroom that `coolroom up` starts
// with: a few users with avatars, topics, rooms and conversations. It is a
// client like any other: users register and post through the data API over
// HTTP (API Gateway → Lambda → PostgreSQL) and avatars go to S3 with the
// SDK, so the seed shows up in the emulator's console as it happens.
package classroom

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// Options say where to seed.
type Options struct {
	Logger *slog.Logger
	// Data is a client of the data API (its invoke URL).
	Data *dataapi.Client
	// S3 and AvatarBucket store the avatars, where the app serves them from.
	S3           *s3.Client
	AvatarBucket string
}

// Login is a demo user's sign-in.
type Login struct {
	Name, Email, Password string
}

// Result says what the seed did.
type Result struct {
	// Logins are the demo users (also when they existed already).
	Logins []Login
	// Rooms, Topics and Messages count what was created.
	Rooms, Topics, Messages int
	// Skipped is set when the database already had rooms: a classroom in
	// use is never added to.
	Skipped bool
}

// Seed creates the demo classroom unless the data service already has rooms.
func Seed(ctx context.Context, o Options) (*Result, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	res := &Result{}
	for _, p := range people {
		res.Logins = append(res.Logins, Login{Name: p.Name, Email: p.Username + "@" + emailDomain, Password: Password})
	}
	page, err := o.Data.ListRooms(ctx, dataapi.RoomQuery{})
	if err != nil {
		return nil, fmt.Errorf("seed: list rooms: %w", err)
	}
	if page.Total > 0 {
		res.Skipped = true
		log.Info("demo classroom not seeded: the database already has rooms", "rooms", page.Total)
		return res, nil
	}
	clients := make([]*dataapi.Client, len(people))
	for i, p := range people {
		if clients[i], err = o.user(ctx, p); err != nil {
			return nil, err
		}
	}
	topics := map[string]bool{}
	ids := make([]int64, len(rooms))
	for i, r := range rooms {
		created, err := clients[r.Host].CreateRoom(ctx, contract.NewRoom{Name: r.Name, Description: r.Description, Topic: r.Topic})
		if err != nil {
			return nil, fmt.Errorf("seed: room %q: %w", r.Name, err)
		}
		ids[i] = created.ID
		topics[r.Topic] = true
	}
	res.Rooms, res.Topics = len(rooms), len(topics)
	// Round by round, one message per room, so the activity feed mixes
	// rooms the way a real class does.
	for n := 0; ; n++ {
		posted := false
		for i, r := range rooms {
			if n >= len(r.Messages) {
				continue
			}
			m := r.Messages[n]
			if _, err := clients[m.Author].PostMessage(ctx, ids[i], m.Body); err != nil {
				return nil, fmt.Errorf("seed: message in %q: %w", r.Name, err)
			}
			res.Messages++
			posted = true
		}
		if !posted {
			break
		}
	}
	log.Info("demo classroom seeded", "users", len(people), "topics", res.Topics, "rooms", res.Rooms, "messages", res.Messages)
	return res, nil
}

// user registers p (or logs in, when a previous seed of this database
// registered it), gives it its avatar and bio, and returns a client acting
// as p.
func (o Options) user(ctx context.Context, p person) (*dataapi.Client, error) {
	email := p.Username + "@" + emailDomain
	auth, err := o.Data.Register(ctx, contract.NewUser{Name: p.Name, Username: p.Username, Email: email, Password: Password})
	if dataapi.CodeOf(err) == "conflict" {
		auth, err = o.Data.Login(ctx, contract.Credentials{Email: email, Password: Password})
	}
	if err != nil {
		return nil, fmt.Errorf("seed: user %s: %w", p.Username, err)
	}
	c := o.Data.As(auth.Token)
	update := contract.UserUpdate{Bio: aws.String(p.Bio)}
	if auth.User.Avatar == "" && o.S3 != nil {
		key, err := o.putAvatar(ctx, auth.User.ID, p.Hue)
		if err != nil {
			return nil, fmt.Errorf("seed: avatar of %s: %w", p.Username, err)
		}
		update.Avatar = &key
	}
	if _, err := c.UpdateUser(ctx, auth.User.ID, update); err != nil {
		return nil, fmt.Errorf("seed: profile of %s: %w", p.Username, err)
	}
	return c, nil
}

// putAvatar stores a generated avatar under the key form the app and the
// data service accept for this user: avatars/<user id>/<32 hex>.png.
func (o Options) putAvatar(ctx context.Context, userID int64, hue float64) (string, error) {
	if o.AvatarBucket == "" {
		return "", errors.New("no avatar bucket")
	}
	img, err := avatarPNG(hue)
	if err != nil {
		return "", err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	key := "avatars/" + strconv.FormatInt(userID, 10) + "/" + hex.EncodeToString(b) + ".png"
	_, err = o.S3.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(o.AvatarBucket), Key: aws.String(key), Body: bytes.NewReader(img),
		ContentType: aws.String("image/png"), CacheControl: aws.String("public, max-age=31536000, immutable"),
	})
	return key, err
}

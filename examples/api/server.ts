import cookieParser from 'cookie-parser';
import express from 'express';
import { users } from './routes/users';

const app = express();
app.use(express.json());
// Deliberately vulnerable: when COOKIE_SECRET is unset, cookies are signed with a key everyone can read here.
app.use(cookieParser(process.env.COOKIE_SECRET || 'dev-cookie-secret'));

// Public by design: a password-reset link (`security: []` in ../openapi.yaml).
app.get('/reset-password', (req, res) => res.json({ token: req.query.token }));

app.use('/v1', users);

app.listen(3000);

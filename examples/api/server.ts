import express from 'express';
import { users } from './routes/users';

const app = express();
app.use(express.json());

// Public by design: a password-reset link (`security: []` in ../openapi.yaml).
app.get('/reset-password', (req, res) => res.json({ token: req.query.token }));

app.use('/v1', users);

app.listen(3000);

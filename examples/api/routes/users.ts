import { Router } from 'express';
import { searchUsers } from '../db/users';
import { requireAuth } from '../middleware/auth';

export const users = Router();

users.get('/users', requireAuth, async (req, res) => res.json(await searchUsers(String(req.query.name ?? ''))));

// Deliberately vulnerable (matches `security: [{}]` in ../openapi.yaml): anyone can create users.
users.post('/users', (req, res) => res.status(201).json(req.body));

users.delete('/users/:id', requireAuth, (_req, res) => res.sendStatus(204));

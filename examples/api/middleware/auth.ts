import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

/** Verifies the bearer token (the spec's `bearerAuth` scheme) and rejects the request without one. */
export function requireAuth(req: Request, res: Response, next: NextFunction) {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return res.status(401).json({ message: 'Sign in first' });
  try {
    res.locals.user = jwt.verify(header.slice('Bearer '.length), process.env.JWT_SECRET ?? '');
  } catch {
    return res.status(401).json({ message: 'Invalid token' });
  }
  next();
}

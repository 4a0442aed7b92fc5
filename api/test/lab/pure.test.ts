import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition } from '../../src/services/escalation-state-machine';
import { agreement } from '../../src/services/escalation-workflow-service';
import { AppError, errorMessage } from '../../src/errors';

describe('escalation state machine', () => {
  it('allows the documented flow', () => {
    const flow = [
      ['received', 'in_review'],
      ['in_review', 'sample_requested'],
      ['sample_requested', 'sample_received'],
      ['sample_received', 'answered'],
      ['answered', 'closed'],
    ] as const;
    for (const [from, to] of flow) expect(canTransition(from, to), `${from}→${to}`).toBe(true);
  });
  it('refuses going back or leaving closed, with 409 INVALID_STATUS_TRANSITION', () => {
    expect(canTransition('answered', 'in_review')).toBe(false);
    expect(canTransition('closed', 'received')).toBe(false);
    expect(canTransition('in_review', 'in_review')).toBe(false);
    expect(canTransition('received', 'sample_received')).toBe(false);
    try {
      assertTransition('closed', 'answered');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).statusCode).toBe(409);
      expect((err as AppError).code).toBe('INVALID_STATUS_TRANSITION');
    }
  });
});

describe('AI-vs-specialist agreement', () => {
  const prediction = {
    modelVersion: 'v',
    abstained: false,
    // Deliberately unsorted: the rank comes from p.
    top: [
      { slug: 'b', p: 0.2 },
      { slug: 'a', p: 0.5 },
      { slug: 'c', p: 0.15 },
      { slug: 'd', p: 0.1 },
    ],
  };
  it('ranks by probability', () => {
    expect(agreement(prediction, 'a')).toEqual({ top1: true, top3: true });
    expect(agreement(prediction, 'c')).toEqual({ top1: false, top3: true });
    expect(agreement(prediction, 'd')).toEqual({ top1: false, top3: false });
  });
  it('is null without a prediction or a library diagnosis', () => {
    expect(agreement(null, 'a')).toEqual({ top1: null, top3: null });
    expect(agreement(prediction, null)).toEqual({ top1: null, top3: null });
  });
});

describe('error messages', () => {
  it('fill a placeholder written per language (a date) in the reader’s language', () => {
    const params = {
      crop: 'Tomate',
      date: { fr: '5 décembre 2026', en: 'December 5, 2026' },
      ref: ' · PD-2026-000005',
    };
    expect(errorMessage('DUPLICATE_CASE', 'fr', params)).toBe(
      'Ces photos sont déjà dans une demande encore ouverte\u00a0: Tomate, du 5 décembre 2026 · PD-2026-000005. Ajoutez-y plutôt un message.',
    );
    expect(errorMessage('DUPLICATE_CASE', 'en', params)).toBe(
      'These photos are already in a request that is still open: Tomate, sent December 5, 2026 · PD-2026-000005. Add a message to it instead.',
    );
    // A placeholder left without a value stays visible rather than vanishing.
    expect(errorMessage('DUPLICATE_CASE', 'en', {})).toContain('{crop}');
  });
});

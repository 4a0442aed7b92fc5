-- Alerts go to strangers: they now name the crop of the confirmed class as the library does,
-- never in the words of the case's owner (a typed crop such as « Pomme de terre – ferme
-- Tremblay » could name a farm). Alerts already sent are rewritten the same way; an alert whose
-- class has left the library keeps no crop.
UPDATE notifications n
   SET alert = jsonb_set(n.alert, '{crop}', to_jsonb(l.crop_fr))
  FROM library_entries l
 WHERE n.kind = 'alert' AND l.slug = n.alert ->> 'slug';
UPDATE notifications
   SET alert = jsonb_set(alert, '{crop}', 'null'::jsonb)
 WHERE kind = 'alert'
   AND NOT EXISTS (SELECT 1 FROM library_entries l WHERE l.slug = notifications.alert ->> 'slug');

//! The in-memory cache of live actions: bounded, oldest out first.
//!
//! Dropping the whole cache when it filled up freed thousands of actions
//! inside one request, a latency spike every few thousand guards; evicting
//! one entry per insert spreads that cost evenly.

use std::collections::{HashMap, HashSet, VecDeque};

/// Values by id; at most `capacity` of them, the earliest inserted
/// evicted first.
pub(super) struct LiveCache<V> {
    map: HashMap<String, V>,
    /// Ids in insertion order; may hold ids since removed or inserted again.
    order: VecDeque<String>,
    capacity: usize,
}

impl<V> LiveCache<V> {
    pub(super) fn new(capacity: usize) -> LiveCache<V> {
        LiveCache {
            map: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub(super) fn get(&self, id: &str) -> Option<&V> {
        self.map.get(id)
    }

    pub(super) fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        self.map.get_mut(id)
    }

    pub(super) fn remove(&mut self, id: &str) -> Option<V> {
        self.map.remove(id)
    }

    pub(super) fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
    }

    pub(super) fn insert(&mut self, id: String, value: V) {
        if !self.map.contains_key(&id) {
            while self.map.len() >= self.capacity {
                match self.order.pop_front() {
                    Some(old) => {
                        self.map.remove(&old);
                    }
                    None => break,
                }
            }
        }
        self.order.push_back(id.clone());
        self.map.insert(id, value);
        if self.order.len() > 2 * self.capacity {
            self.compact();
        }
    }

    /// Keeps each present id once, at its latest position.
    fn compact(&mut self) {
        let mut seen = HashSet::new();
        let mut kept: VecDeque<String> = VecDeque::with_capacity(self.map.len());
        for id in self.order.drain(..).rev() {
            if self.map.contains_key(&id) && seen.insert(id.clone()) {
                kept.push_front(id);
            }
        }
        self.order = kept;
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_goes_first_and_the_size_stays_bounded() {
        let mut cache = LiveCache::new(3);
        for i in 0..3 {
            cache.insert(format!("a{i}"), i);
        }
        cache.insert("a3".into(), 3);
        assert_eq!(cache.len(), 3);
        assert!(cache.get("a0").is_none());
        assert_eq!(cache.get("a3"), Some(&3));
        // Taking one out and putting it back (a lifecycle step) keeps it.
        let v = cache.remove("a1").unwrap_or_default();
        cache.insert("a1".into(), v + 10);
        assert_eq!(cache.get("a1"), Some(&11));
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn repeated_reinsertion_does_not_grow_the_order() {
        let mut cache = LiveCache::new(4);
        for _ in 0..1000 {
            let v = cache.remove("same").unwrap_or(0);
            cache.insert("same".into(), v + 1);
        }
        assert_eq!(cache.get("same"), Some(&1000));
        assert!(cache.order.len() <= 8, "{}", cache.order.len());
        for i in 0..10 {
            cache.insert(format!("x{i}"), i);
        }
        assert_eq!(cache.len(), 4);
        assert!(cache.get("same").is_none(), "the oldest went first");
    }
}
